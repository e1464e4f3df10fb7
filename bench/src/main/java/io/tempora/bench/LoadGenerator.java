package io.tempora.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load generator for any server speaking Temporal's gRPC API (Tempora, Temporal's test server, a real
 * Temporal cluster), built on the official Temporal Java SDK so it exercises the server exactly as real
 * applications do.
 *
 * <p>One process plays both roles: an SDK worker hosting {@link BenchWorkflow} / {@link BenchActivities},
 * and {@code --concurrency} starter threads that each start a workflow and wait for its result, in a loop.
 * A warmup phase runs first (JIT, connection, caches on both sides) and is not measured. The last line on
 * stdout is always a {@code RESULT ...} line (see {@link BenchReport#resultLine}); SDK logging goes to stderr.
 *
 * <p>Exit status: 0 if every measured workflow completed, 1 if any did not, 2 on bad usage.
 */
@Command(
    name = "tempora-bench",
    mixinStandardHelpOptions = true,
    description = "Starts workflows against a Temporal-API server and reports throughput and latency.")
public final class LoadGenerator implements Callable<Integer> {

  @Option(names = "--target", defaultValue = "127.0.0.1:7233", description = "Server host:port (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--namespace", defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = {"-n", "--workflows"}, defaultValue = "2000", description = "Workflows in the measured phase (default: ${DEFAULT-VALUE}).")
  int workflows;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "50", description = "Concurrent starter threads (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--task-queue", description = "Task queue (default: unique per run, so runs never see each other's tasks).")
  String taskQueue;

  @Option(names = "--warmup", defaultValue = "100", description = "Workflows run before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--timeout-seconds", defaultValue = "600", description = "Bound on the whole run, warmup included (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  // 16/16 rather than the SDK's 5/5: see BenchWorker for why the worker must never be the one falling behind.
  @Option(names = "--workflow-pollers", defaultValue = "16", description = "Worker workflow-task pollers (default: ${DEFAULT-VALUE}).")
  int workflowPollers;

  @Option(names = "--activity-pollers", defaultValue = "16", description = "Worker activity-task pollers (default: ${DEFAULT-VALUE}).")
  int activityPollers;

  @Option(names = "--progress-seconds", defaultValue = "2", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
  double progressSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = new CommandLine(new LoadGenerator()).execute(args);
    System.out.flush();
    // The SDK's poller and gRPC threads are non-daemon; without an explicit exit the JVM would never end.
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    Watchdog.arm(timeoutSeconds + 60L);

    String runId = UUID.randomUUID().toString().substring(0, 8);
    String queue = taskQueue != null ? taskQueue : "tempora-bench-" + runId;
    System.out.printf(
        "tempora-bench: target=%s namespace=%s task-queue=%s workflows=%d concurrency=%d warmup=%d timeout=%ds%n",
        target, namespace, queue, workflows, concurrency, warmup, timeoutSeconds);

    // One channel for everything: the worker's long polls and the starters' RPCs share it, like a typical app.
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    WorkflowClient client =
        WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    WorkerFactory factory;
    try {
      // First real RPCs happen here (system info, namespace check), so this is where a dead or
      // incompatible server shows up.
      factory = BenchWorker.start(client, queue, workflowPollers, activityPollers);
    } catch (RuntimeException e) {
      System.err.println("error: cannot start a worker against " + target + ": " + e);
      return finish(null, service, PhaseResult.notRun("measure", workflows));
    }
    ErrorLog errors = new ErrorLog();

    PhaseResult measured;
    try (ProgressReporter progress = new ProgressReporter(progressSeconds)) {
      String idPrefix = "bench-" + runId;
      if (warmup > 0) {
        LoadPhase warm = new LoadPhase("warmup", client, queue, idPrefix + "-warmup", warmup, concurrency, errors);
        progress.watch(warm);
        PhaseResult w = warm.run(deadlineNanos);
        BenchReport.printSummary(System.out, w);
        if (w.completed() == 0) {
          // Nothing works; measuring would just burn the timeout on the same failure N times.
          System.err.println("warmup completed no workflow; skipping the measured phase");
          measured = PhaseResult.notRun("measure", workflows);
          return finish(factory, service, measured);
        }
      }
      LoadPhase measure = new LoadPhase("measure", client, queue, idPrefix, workflows, concurrency, errors);
      progress.watch(measure);
      measured = measure.run(deadlineNanos);
    }
    return finish(factory, service, measured);
  }

  /** Shuts down, then prints the report; a RESULT line is printed even for a run that never got going. */
  private int finish(WorkerFactory factory, WorkflowServiceStubs service, PhaseResult measured) {
    shutdown(factory, service);
    BenchReport.printSummary(System.out, measured);
    System.out.println(BenchReport.resultLine(target, concurrency, measured));
    System.out.flush();
    return measured.errors() == 0 ? 0 : 1;
  }

  /**
   * Bounded, best-effort shutdown ({@code factory} is null if it never started): the numbers are already
   * taken, so never let a slow server delay the report.
   */
  private static void shutdown(WorkerFactory factory, WorkflowServiceStubs service) {
    try {
      if (factory != null) {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
      }
      service.shutdownNow();
      service.awaitTermination(5, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      System.err.println("warning: shutdown: " + e);
    }
  }

  private void validate() {
    if (workflows < 1 || concurrency < 1 || warmup < 0 || timeoutSeconds < 1
        || workflowPollers < 1 || activityPollers < 1 || progressSeconds <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --workflows >= 1, --concurrency >= 1, --warmup >= 0, --timeout-seconds >= 1,"
              + " pollers >= 1 and --progress-seconds > 0");
    }
  }
}
