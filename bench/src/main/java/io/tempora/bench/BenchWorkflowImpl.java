package io.tempora.bench;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Implementation of {@link BenchWorkflow}: exactly one activity call, then return its value. */
public class BenchWorkflowImpl implements BenchWorkflow {

  // 10 s start-to-close is far above the echo's run time; it only matters if a worker loses a task,
  // in which case the server's retry of the activity shows up as a latency outlier rather than a hang.
  private final BenchActivities activities =
      Workflow.newActivityStub(
          BenchActivities.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

  @Override
  public String run(String input) {
    return activities.echo(input);
  }
}
