package io.tempora.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A child of {@link FanOutParentWorkflow}: trivial on purpose, so the fan-out measures the server. */
@WorkflowInterface
public interface FanOutChildWorkflow {

  /** Returns {@code index} unchanged; the parent sums these to check every child ran exactly once. */
  @WorkflowMethod
  int run(int index);
}
