package io.tempora.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin BenchOptions options = new BenchOptions(600);

  @Mixin ServerStatsOptions serverStats = new ServerStatsOptions();

  @Option(names = {"-n", "--workflows"}, defaultValue = "2000", description = "Workflows in the measured phase (default: ${DEFAULT-VALUE}).")
  int workflows;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "50", description = "Concurrent starter threads (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--warmup", defaultValue = "100", description = "Workflows run before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  // 16 rather than the SDK's 5, like --workflow-pollers: see BenchWorker.
  @Option(names = "--activity-pollers", defaultValue = "16", description = "Worker activity-task pollers (default: ${DEFAULT-VALUE}).")
  int activityPollers;

  @Option(names = "--progress-seconds", defaultValue = "2", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
  double progressSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    BenchSupport.runAndExit(new LoadGenerator(), args);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    BenchRun run = BenchRun.begin(options, "tempora-bench-");
    System.out.printf(
        "tempora-bench: target=%s namespace=%s task-queue=%s workflows=%d concurrency=%d warmup=%d timeout=%ds%n",
        options.target, options.namespace, run.taskQueue(), workflows, concurrency, warmup, options.timeoutSeconds);
    if (!run.startWorker(
        client -> BenchWorker.start(client, run.taskQueue(), options.workflowPollers, activityPollers))) {
      return finish(run, PhaseResult.notRun("measure", workflows), ServerFigures.UNKNOWN);
    }
    ErrorLog errors = new ErrorLog();

    PhaseResult measured;
    ServerMeter server = serverStats.meter();
    try (StatusTicker progress = new StatusTicker(progressSeconds)) {
      String idPrefix = "bench-" + run.runId();
      if (warmup > 0) {
        LoadPhase warm =
            new LoadPhase("warmup", run.client(), run.taskQueue(), idPrefix + "-warmup", warmup, concurrency, errors);
        progress.watch(new LoadProgress(warm, progress.intervalSeconds()));
        PhaseResult w = warm.run(run.deadlineNanos());
        BenchReport.printSummary(System.out, w);
        if (w.completed() == 0) {
          // Nothing works; measuring would just burn the timeout on the same failure N times.
          System.err.println("warmup completed no workflow; skipping the measured phase");
          return finish(run, PhaseResult.notRun("measure", workflows), ServerFigures.UNKNOWN);
        }
      }
      LoadPhase measure = new LoadPhase("measure", run.client(), run.taskQueue(), idPrefix, workflows, concurrency, errors);
      progress.watch(new LoadProgress(measure, progress.intervalSeconds()));
      server.start();
      measured = measure.run(run.deadlineNanos());
      server.stop();
    }
    return finish(run, measured, server.figures(measured.completed()));
  }

  /** Shuts down, then prints the report; a RESULT line is printed even for a run that never got going. */
  private int finish(BenchRun run, PhaseResult measured, ServerFigures server) {
    run.shutdown();
    BenchReport.printSummary(System.out, measured);
    if (server.known()) {
      System.out.println(server.summary());
    }
    // The server keys only when asked for (--server-pid), so the line is unchanged for existing scripts.
    System.out.println(
        BenchReport.resultLine(options.target, concurrency, measured) + (server.known() ? server.resultKeys() : ""));
    System.out.flush();
    return measured.errors() == 0 ? 0 : 1;
  }

  private void validate() {
    if (workflows < 1 || concurrency < 1 || warmup < 0 || options.timeoutSeconds < 1
        || options.workflowPollers < 1 || activityPollers < 1 || progressSeconds <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --workflows >= 1, --concurrency >= 1, --warmup >= 0, --timeout-seconds >= 1,"
              + " pollers >= 1 and --progress-seconds > 0");
    }
  }
}
