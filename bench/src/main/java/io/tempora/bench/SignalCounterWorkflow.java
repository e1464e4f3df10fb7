package io.tempora.bench;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The workflow {@link SignalBench} signals: it counts {@link #count()} signals and completes once it has
 * received {@code expected} of them, returning how many it counted. The driver checks that the returned count
 * equals the number it sent, so a lost or duplicated signal shows up as an error, not as a faster number.
 *
 * <p>The driver addresses it through untyped stubs by {@link #TYPE} and {@link #SIGNAL}; keep them in sync
 * with the interface name and the signal annotation.
 */
@WorkflowInterface
public interface SignalCounterWorkflow {

  /** Workflow type name as registered by the SDK (simple interface name by default). */
  String TYPE = "SignalCounterWorkflow";

  /** Signal name, fixed so that renaming the Java method does not silently change it. */
  String SIGNAL = "count";

  /** Waits until {@code expected} signals have arrived and returns the number received. */
  @WorkflowMethod
  int run(int expected);

  /** One signal: increments the counter. No payload, so the bench measures the signal path, not a codec. */
  @SignalMethod(name = SIGNAL)
  void count();
}
