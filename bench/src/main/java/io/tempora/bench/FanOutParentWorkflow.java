package io.tempora.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The parent workflow of {@link FanOutBench}: starts {@code children} {@link FanOutChildWorkflow}s at once,
 * waits for all of them and returns the sum of their results, which must be {@code children*(children-1)/2}.
 *
 * <p>The driver starts it through an untyped stub by {@link #TYPE}; keep it in sync with the interface name.
 */
@WorkflowInterface
public interface FanOutParentWorkflow {

  /** Workflow type name as registered by the SDK (simple interface name by default). */
  String TYPE = "FanOutParentWorkflow";

  /** Sum of 0..children-1 as returned by the children; a long so large fan-outs cannot overflow. */
  @WorkflowMethod
  long run(int children);
}
