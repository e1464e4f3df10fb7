package io.tempora.bench;

import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Implementation of {@link FanOutParentWorkflow}. All children are started from the first workflow task (one
 * StartChildWorkflowExecution command each), so the server sees the whole fan-out at once.
 */
public class FanOutParentWorkflowImpl implements FanOutParentWorkflow {

  @Override
  public long run(int children) {
    String parentId = Workflow.getInfo().getWorkflowId();
    List<Promise<Integer>> results = new ArrayList<>(children);
    for (int i = 0; i < children; i++) {
      // Explicit, readable child ids (parent id + index) so a stuck child can be found in the server's state.
      // Children inherit the parent's task queue, so the same in-process worker runs them.
      FanOutChildWorkflow child =
          Workflow.newChildWorkflowStub(
              FanOutChildWorkflow.class,
              ChildWorkflowOptions.newBuilder().setWorkflowId(parentId + "-child-" + i).build());
      results.add(Async.function(child::run, i));
    }
    long sum = 0;
    for (Promise<Integer> result : results) {
      // A failed child fails the parent (ChildWorkflowFailure), which the driver counts as an error.
      sum += result.get();
    }
    return sum;
  }
}
