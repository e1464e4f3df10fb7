package io.tempora.bench;

import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Child-workflow fan-out benchmark for any server speaking Temporal's gRPC API, built on the official Temporal
 * Java SDK.
 *
 * <p>One process runs an SDK worker hosting {@link FanOutParentWorkflow} and {@link FanOutChildWorkflow} (on a
 * task queue unique to the run) and the driver. Each run starts one parent, which starts {@code --children}
 * children at once with {@code Async.function}, waits for all of them and returns the sum of their results.
 * A run's time is from just before the parent's start call until its result arrives; the runs are
 * sequential, {@code --runs} of them, after one smaller unmeasured warmup run. The median run time is the
 * headline figure. The last line on stdout is always a {@code RESULT bench=fanout ...} line (see
 * {@link #resultLine}); SDK logging goes to stderr.
 *
 * <p>Exit status: 0 if every measured run returned the right sum, 1 if not, 2 on bad usage.
 */
@Command(
    name = "fanout-bench",
    mixinStandardHelpOptions = true,
    description = "Measures how fast a Temporal-API server runs one parent workflow fanning out to K child workflows.")
public final class FanOutBench implements Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions(300);

  @Mixin ServerStatsOptions serverStats = new ServerStatsOptions();

  @Option(names = {"-k", "--children"}, defaultValue = "500", description = "Child workflows per parent (default: ${DEFAULT-VALUE}).")
  int children;

  @Option(names = {"-r", "--runs"}, defaultValue = "3", description = "Measured runs; the median is reported (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--warmup-children", defaultValue = "50", description = "Children of one unmeasured warmup run, bounded to 60 s; 0 disables (default: ${DEFAULT-VALUE}).")
  int warmupChildren;

  @Option(names = "--progress-seconds", defaultValue = "5", description = "Seconds between progress lines while a run is going (default: ${DEFAULT-VALUE}).")
  double progressSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** One parent run: {@code nanos} is only meaningful when {@code ok}. */
  record Run(String label, boolean ok, long nanos) {
    double seconds() {
      return nanos / 1e9;
    }
  }

  public static void main(String[] args) {
    BenchSupport.runAndExit(new FanOutBench(), args);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    BenchRun bench = BenchRun.begin(options, "tempora-fanout-bench-");
    System.out.println(
        BenchSupport.fmt(
            "fanout-bench: target=%s namespace=%s task-queue=%s children=%d runs=%d warmup=%d children timeout=%ds",
            options.target, options.namespace, bench.taskQueue(), children, runs, warmupChildren,
            options.timeoutSeconds));

    List<Run> measured = new ArrayList<>();
    if (!bench.startWorker(
        client -> BenchWorker.startWorkflowsOnly(
            client, bench.taskQueue(), options.workflowPollers, FanOutParentWorkflowImpl.class,
            FanOutChildWorkflowImpl.class))) {
      return finish(bench, measured, ServerFigures.UNKNOWN);
    }
    ErrorLog errors = new ErrorLog();
    String idPrefix = "fanout-bench-" + bench.runId();

    ServerMeter server = serverStats.meter();
    try (StatusTicker ticker = new StatusTicker(progressSeconds)) {
      if (warmupChildren > 0) {
        Run warm =
            runOnce(bench, idPrefix + "-warmup", "warmup", warmupChildren,
                BenchSupport.warmupDeadline(bench.deadlineNanos()), errors, ticker);
        if (!warm.ok()) {
          // Nothing works; the measured runs would only repeat the failure on a bigger scale.
          System.err.println("warmup run failed; skipping the measured runs");
          return finish(bench, measured, ServerFigures.UNKNOWN);
        }
      }
      server.start();
      for (int r = 1; r <= runs; r++) {
        if (BenchSupport.remainingNanos(bench.deadlineNanos()) <= 0) {
          System.err.println("overall timeout reached; runs " + r + ".." + runs + " not started");
          break;
        }
        measured.add(runOnce(bench, idPrefix + "-" + r, "run " + r, children, bench.deadlineNanos(), errors, ticker));
      }
      server.stop();
    }
    // Per workflow of the successful runs: each is one parent and its children.
    long workflows = measured.stream().filter(Run::ok).count() * (children + 1L);
    return finish(bench, measured, server.figures(workflows));
  }

  /** Starts one parent fanning out to {@code k} children and waits (bounded by the deadline) for its sum. */
  private Run runOnce(
      BenchRun bench,
      String workflowId,
      String label,
      int k,
      long deadlineNanos,
      ErrorLog errors,
      StatusTicker ticker) {
    long expected = (long) k * (k - 1) / 2;
    WorkflowStub stub =
        bench.client()
            .newUntypedWorkflowStub(
                FanOutParentWorkflow.TYPE,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(bench.taskQueue())
                    .setWorkflowId(workflowId)
                    // Only a safety net so a parent (and, through the default parent close policy, its children)
                    // left running by a failed bench does not live on the server forever.
                    .setWorkflowExecutionTimeout(bench.workflowTimeout())
                    .build());
    long t0 = System.nanoTime();
    ticker.watch(
        () -> BenchSupport.fmt("[%s] parent running for %.1f s", label, (System.nanoTime() - t0) / 1e9));
    boolean ok = false;
    try {
      stub.start(k);
      Long sum = stub.getResult(Math.max(1L, BenchSupport.remainingNanos(deadlineNanos)), TimeUnit.NANOSECONDS, Long.class);
      if (sum == null || sum != expected) {
        throw new IllegalStateException("returned sum " + sum + ", expected " + expected);
      }
      ok = true;
    } catch (TimeoutException e) {
      errors.report(workflowId, new TimeoutException("no result before the overall deadline"));
    } catch (RuntimeException e) {
      errors.report(workflowId, e);
    } finally {
      ticker.watch(null);
    }
    long nanos = System.nanoTime() - t0;
    Run run = new Run(label, ok, nanos);
    System.out.println(
        ok
            ? BenchSupport.fmt("[%s] %d children in %.2f s = %.1f children/s", label, k, run.seconds(), k / run.seconds())
            : BenchSupport.fmt("[%s] %d children: FAILED after %.2f s", label, k, run.seconds()));
    return run;
  }

  /** Shuts down, then prints the report; a RESULT line is printed even for a run that never got going. */
  private int finish(BenchRun bench, List<Run> measured, ServerFigures server) {
    bench.shutdown();
    List<Long> okNanos = new ArrayList<>();
    for (Run run : measured) {
      if (run.ok()) {
        okNanos.add(run.nanos());
      }
    }
    int errors = runs - okNanos.size(); // failed, timed out, or never started
    double medianSeconds = median(okNanos);
    double childrenPerSecond = medianSeconds > 0 ? children / medianSeconds : 0.0;
    System.out.println(
        BenchSupport.fmt("[fanout] %d children per parent, %d/%d runs returned the right sum", children, okNanos.size(), runs));
    for (Run run : measured) {
      System.out.println(
          run.ok()
              ? BenchSupport.fmt("  %-8s %.2f s  %.1f children/s", run.label(), run.seconds(), children / run.seconds())
              : BenchSupport.fmt("  %-8s failed", run.label()));
    }
    System.out.println(
        medianSeconds < 0
            ? "  median   none (no run succeeded; reported as -1)"
            : BenchSupport.fmt("  median   %.2f s  %.1f children/s", medianSeconds, childrenPerSecond));
    System.out.println(BenchSupport.fmt("  errors   %d", errors));
    if (server.known()) {
      System.out.println(server.summary());
    }
    // The server keys only when asked for (--server-pid), so the line is unchanged for existing scripts.
    System.out.println(
        resultLine(children, runs, medianSeconds, childrenPerSecond, errors) + (server.known() ? server.resultKeys() : ""));
    System.out.flush();
    return errors == 0 ? 0 : 1;
  }

  /** Median of the successful run times in seconds (mean of the middle two for an even count), -1 if none. */
  static double median(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return -1.0;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    int n = sorted.size();
    double mid = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return mid / 1e9;
  }

  /**
   * The line scripts grep for. Keep key order and names stable. {@code median_s} is over the runs that returned
   * the right sum (-1 if none did); {@code children_per_s} is children / median_s; {@code errors} counts measured
   * runs that failed, timed out, returned a wrong sum or were never started.
   */
  static String resultLine(int children, int runs, double medianSeconds, double childrenPerSecond, int errors) {
    return BenchSupport.fmt(
        "RESULT bench=fanout children=%d runs=%d median_s=%.2f children_per_s=%.1f errors=%d",
        children, runs, medianSeconds, childrenPerSecond, errors);
  }

  private void validate() {
    if (children < 1 || runs < 1 || warmupChildren < 0 || options.timeoutSeconds < 1 || options.workflowPollers < 1
        || progressSeconds <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --children, --runs, --timeout-seconds and --workflow-pollers >= 1, --warmup-children >= 0"
              + " and --progress-seconds > 0");
    }
  }
}
