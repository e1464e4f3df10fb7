package io.tempora.bench;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Signal benchmark for any server speaking Temporal's gRPC API, built on the official Temporal Java SDK.
 *
 * <p>One process runs an SDK worker hosting {@link SignalCounterWorkflow} (on a task queue unique to the run)
 * and the signalling client threads. Two measured rounds, each a {@link SignalRound}:
 *
 * <ol>
 *   <li><b>one workflow</b>: one counter workflow receives {@code --signals} signals from {@code --concurrency}
 *       threads; this is the hot-workflow case, where every signal contends for the same execution;
 *   <li><b>many workflows</b>: {@code --workflows} counter workflows receive {@code --signals-per-workflow}
 *       signals each, from the same number of threads.
 * </ol>
 *
 * A small unmeasured warmup round runs first (at most 60 s, so a server that cannot do signals fails fast).
 * Every workflow must return exactly the number of signals sent to it. The last line on stdout is always a
 * {@code RESULT bench=signals ...} line (see {@link #resultLine}); SDK logging goes to stderr.
 *
 * <p>Exit status: 0 if every signal was acknowledged and every workflow returned the right count, 1 if not,
 * 2 on bad usage.
 */
@Command(
    name = "signal-bench",
    mixinStandardHelpOptions = true,
    description = "Measures signal throughput into one workflow and across many workflows of a Temporal-API server.")
public final class SignalBench implements Callable<Integer> {

  @Mixin BenchOptions options = new BenchOptions(300);

  @Mixin ServerStatsOptions serverStats = new ServerStatsOptions();

  @Option(names = {"-n", "--signals"}, defaultValue = "2000", description = "Signals into the single workflow (default: ${DEFAULT-VALUE}).")
  int signals;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "20", description = "Signalling threads, both rounds (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = {"-w", "--workflows"}, defaultValue = "200", description = "Workflows in the many-workflows round (default: ${DEFAULT-VALUE}).")
  int workflows;

  @Option(names = {"-s", "--signals-per-workflow"}, defaultValue = "10", description = "Signals per workflow in the many-workflows round (default: ${DEFAULT-VALUE}).")
  int signalsPerWorkflow;

  @Option(names = "--warmup-signals", defaultValue = "200", description = "Unmeasured signals sent first, over up to 10 workflows, bounded to 60 s; 0 disables (default: ${DEFAULT-VALUE}).")
  int warmupSignals;

  @Option(names = "--progress-seconds", defaultValue = "2", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
  double progressSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    BenchSupport.runAndExit(new SignalBench(), args);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    BenchRun run = BenchRun.begin(options, "tempora-signal-bench-");
    System.out.println(
        BenchSupport.fmt(
            "signal-bench: target=%s namespace=%s task-queue=%s one-workflow=%d signals many-workflows=%dx%d"
                + " concurrency=%d warmup=%d signals timeout=%ds",
            options.target, options.namespace, run.taskQueue(), signals, workflows, signalsPerWorkflow, concurrency,
            warmupSignals, options.timeoutSeconds));

    SignalRoundResult one = SignalRoundResult.notRun("one-workflow", 1, signals);
    SignalRoundResult many = SignalRoundResult.notRun("many-workflows", workflows, signalsPerWorkflow);
    if (!run.startWorker(
        client -> BenchWorker.startWorkflowsOnly(
            client, run.taskQueue(), options.workflowPollers, SignalCounterWorkflowImpl.class))) {
      return finish(run, one, many, ServerFigures.UNKNOWN);
    }
    ErrorLog errors = new ErrorLog();
    String idPrefix = "signal-bench-" + run.runId();

    // Both measured rounds, starts included: what the server spends on a signalled workflow's whole life.
    ServerMeter server = serverStats.meter();
    try (StatusTicker ticker = new StatusTicker(progressSeconds)) {
      if (warmupSignals > 0) {
        int warmWorkflows = Math.min(10, warmupSignals);
        int warmPerWorkflow = (warmupSignals + warmWorkflows - 1) / warmWorkflows;
        SignalRound warm =
            new SignalRound("warmup", run.client(), run.taskQueue(), idPrefix + "-warmup", warmWorkflows,
                warmPerWorkflow, concurrency, run.workflowTimeout(), errors);
        ticker.watch(warm::status);
        SignalRoundResult w = warm.run(BenchSupport.warmupDeadline(run.deadlineNanos()));
        ticker.watch(null);
        printSummary(System.out, w, concurrency);
        if (w.signalsAcked() == 0) {
          // Nothing works; measuring would just burn the timeout on the same failure thousands of times.
          System.err.println("warmup got no signal acknowledged; skipping the measured rounds");
          return finish(run, one, many, ServerFigures.UNKNOWN);
        }
      }
      SignalRound oneRound =
          new SignalRound("one-workflow", run.client(), run.taskQueue(), idPrefix + "-one", 1, signals, concurrency,
              run.workflowTimeout(), errors);
      ticker.watch(oneRound::status);
      server.start();
      one = oneRound.run(run.deadlineNanos());
      ticker.watch(null);

      SignalRound manyRound =
          new SignalRound("many-workflows", run.client(), run.taskQueue(), idPrefix + "-many", workflows,
              signalsPerWorkflow, concurrency, run.workflowTimeout(), errors);
      ticker.watch(manyRound::status);
      many = manyRound.run(run.deadlineNanos());
      server.stop();
      ticker.watch(null);
    }
    return finish(run, one, many, server.figures(one.workflowsCompleted() + many.workflowsCompleted()));
  }

  /** Shuts down, then prints the report; a RESULT line is printed even for a run that never got going. */
  private int finish(BenchRun run, SignalRoundResult one, SignalRoundResult many, ServerFigures server) {
    run.shutdown();
    printSummary(System.out, one, concurrency);
    printSummary(System.out, many, concurrency);
    System.out.println(
        BenchSupport.fmt(
            "signals: one workflow %.1f signals/s, completed in %.2f s; %d workflows %.1f signals/s, all completed in %.2f s",
            one.signalsPerSecond(), one.completionSeconds(), many.workflows(), many.signalsPerSecond(),
            many.completionSeconds()));
    int errors = one.errors() + many.errors();
    // Per signal as well: with one workflow taking 2000 signals, CPU per workflow says little on its own.
    int signalsAcked = one.signalsAcked() + many.signalsAcked();
    double perSignal = server.cpuMillis() < 0 || signalsAcked == 0 ? -1.0 : (double) server.cpuMillis() / signalsAcked;
    if (server.known()) {
      System.out.println(server.summary() + BenchSupport.fmt(", %.3f ms/signal", perSignal));
    }
    // The server keys only when asked for (--server-pid), so the line is unchanged for existing scripts.
    System.out.println(
        resultLine(one, many)
            + (server.known() ? server.resultKeys() + BenchSupport.fmt(" server_cpu_ms_per_signal=%.3f", perSignal) : ""));
    System.out.flush();
    return errors == 0 ? 0 : 1;
  }

  static void printSummary(PrintStream out, SignalRoundResult r, int concurrency) {
    out.println(
        BenchSupport.fmt(
            "[%s] %d workflow(s) x %d signals = %d signals, %d signalling threads",
            r.name(), r.workflows(), r.signalsPerWorkflow(), r.signalsRequested(), Math.min(concurrency, r.signalsRequested())));
    out.println(BenchSupport.fmt("  started     %d/%d workflows in %.2f s (not part of the rate)", r.workflowsStarted(), r.workflows(), r.startNanos() / 1e9));
    out.println(BenchSupport.fmt("  signals     %d acknowledged, %d failed or unsent", r.signalsAcked(), r.signalErrors()));
    out.println(BenchSupport.fmt("  send time   %.2f s (first signal sent -> last signal call returned)", r.signalNanos() / 1e9));
    out.println(BenchSupport.fmt("  rate        %.1f signals/s", r.signalsPerSecond()));
    out.println(
        BenchSupport.fmt(
            "  signal ms   p50=%.1f p95=%.1f p99=%.1f max=%.1f",
            r.signalPercentileMillis(50), r.signalPercentileMillis(95), r.signalPercentileMillis(99),
            r.signalPercentileMillis(100)));
    out.println(
        BenchSupport.fmt(
            "  workflows   %d/%d returned the right count, %d errors", r.workflowsCompleted(), r.workflows(), r.workflowErrors()));
    out.println(
        r.completionNanos() < 0
            ? "  completion  not every workflow completed correctly (reported as -1)"
            : BenchSupport.fmt("  completion  %.2f s (first signal sent -> last workflow returned its count)", r.completionSeconds()));
  }

  /**
   * The line scripts grep for. Keep key order and names stable. {@code *_completion_s} is -1 when not every
   * workflow completed correctly; {@code errors} is unacknowledged signals plus workflows that did not return
   * the right count, over both measured rounds.
   */
  static String resultLine(SignalRoundResult one, SignalRoundResult many) {
    return BenchSupport.fmt(
        "RESULT bench=signals one_workflow_signals_per_s=%.1f one_workflow_completion_s=%.2f"
            + " many_workflows_signals_per_s=%.1f errors=%d",
        one.signalsPerSecond(), one.completionSeconds(), many.signalsPerSecond(), one.errors() + many.errors());
  }

  private void validate() {
    if (signals < 1 || concurrency < 1 || workflows < 1 || signalsPerWorkflow < 1 || warmupSignals < 0
        || options.timeoutSeconds < 1 || options.workflowPollers < 1 || progressSeconds <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --signals, --concurrency, --workflows, --signals-per-workflow, --timeout-seconds and"
              + " --workflow-pollers >= 1, --warmup-signals >= 0 and --progress-seconds > 0");
    }
    if ((long) workflows * signalsPerWorkflow > Integer.MAX_VALUE) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--workflows x --signals-per-workflow is too large");
    }
  }
}
