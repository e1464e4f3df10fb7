package io.tempora.bench;

import io.temporal.workflow.Workflow;

/** Implementation of {@link SignalCounterWorkflow}: a counter and one await, nothing else. */
public class SignalCounterWorkflowImpl implements SignalCounterWorkflow {

  private int count;

  @Override
  public int run(int expected) {
    Workflow.await(() -> count >= expected);
    // Returns the counter, not `expected`: a duplicated signal delivered in the same workflow task as the
    // last expected one would make this larger, and the driver reports that as an error.
    return count;
  }

  @Override
  public void count() {
    count++;
  }
}
