package io.tempora.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The workflow the bench starts. It is deliberately trivial (one activity, no timers, no signals) so that
 * what we measure is the server's round trips: start, workflow task, activity task, workflow task, completion.
 *
 * <p>The workflow type name is the interface's simple name, {@code BenchWorkflow}; the starters use that name
 * through an untyped stub, so keep {@link #TYPE} in sync if this interface is ever renamed.
 */
@WorkflowInterface
public interface BenchWorkflow {

  /** Workflow type name as registered by the SDK (simple interface name by default). */
  String TYPE = "BenchWorkflow";

  /** Runs one echo activity and returns its result, which must equal {@code input}. */
  @WorkflowMethod
  String run(String input);
}
