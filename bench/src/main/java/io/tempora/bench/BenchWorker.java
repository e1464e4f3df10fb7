package io.tempora.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/**
 * Hosts the bench workflows ({@link BenchWorkflow} and {@link BenchActivities} for {@link LoadGenerator}; the
 * workflow types of {@link SignalBench} and {@link FanOutBench}) in the bench process.
 *
 * <p>The worker runs in the same JVM as the starters and shares their {@link WorkflowClient} (and so their
 * single gRPC channel): the bench should need nothing but a server address.
 */
final class BenchWorker {

  private BenchWorker() {}

  /** Creates and starts a worker factory polling {@code taskQueue}; the caller shuts it down. */
  static WorkerFactory start(
      WorkflowClient client, String taskQueue, int workflowPollers, int activityPollers) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    // Pollers are what let the worker pick up tasks as fast as the starters create them. With too few
    // (the SDK default is 5 each, and workflow pollers are split between the normal and the sticky queue)
    // tasks back up on the server at 50 concurrent workflows, and then the bench measures the server's
    // backlog ordering rather than its speed: the Temporal test server does not serve a backlog FIFO, and
    // with 8 pollers some first workflow tasks waited 10-25 s, adding that to p99/max and the wall time.
    // With 16 each there was no backlog and no such stragglers at -c 50 (measured on 2 cores).
    WorkerOptions options =
        WorkerOptions.newBuilder()
            .setMaxConcurrentWorkflowTaskPollers(workflowPollers)
            .setMaxConcurrentActivityTaskPollers(activityPollers)
            .build();
    Worker worker = factory.newWorker(taskQueue, options);
    worker.registerWorkflowImplementationTypes(BenchWorkflowImpl.class);
    worker.registerActivitiesImplementations(new BenchActivitiesImpl());
    factory.start();
    return factory;
  }

  /**
   * Like {@link #start} but for benches that only run workflows ({@link SignalBench}, {@link FanOutBench}):
   * registers the given workflow implementation classes and no activities, so the worker does not poll for
   * activity tasks at all.
   */
  static WorkerFactory startWorkflowsOnly(
      WorkflowClient client, String taskQueue, int workflowPollers, Class<?>... workflowImplementations) {
    WorkerFactory factory = WorkerFactory.newInstance(client);
    // Same reasoning about pollers as in start(): the worker must never be the one falling behind.
    WorkerOptions options =
        WorkerOptions.newBuilder().setMaxConcurrentWorkflowTaskPollers(workflowPollers).build();
    Worker worker = factory.newWorker(taskQueue, options);
    worker.registerWorkflowImplementationTypes(workflowImplementations);
    factory.start();
    return factory;
  }
}
