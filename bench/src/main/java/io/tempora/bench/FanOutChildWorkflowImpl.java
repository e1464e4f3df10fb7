package io.tempora.bench;

/** Implementation of {@link FanOutChildWorkflow}: completes in its first workflow task. */
public class FanOutChildWorkflowImpl implements FanOutChildWorkflow {

  @Override
  public int run(int index) {
    return index;
  }
}
