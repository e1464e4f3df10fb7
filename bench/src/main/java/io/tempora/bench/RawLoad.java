package io.tempora.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Load on plain gRPC, without the SDK: the generated WorkflowService stubs, a minimal worker ({@link RawWorker},
 * deciding with {@link RawDecider}) and starters in one JVM. The SDK needs several ms of CPU per workflow, which on
 * a 2-core machine makes the client the bottleneck; this client costs a fraction of that, so the server is what
 * saturates, and the figures (with {@code --server-pid} or {@code --server-cmd}: the server's CPU per workflow,
 * RSS, heap) describe the server.
 *
 * <p>Scenarios: {@code one-activity} ({@link RawOneActivityScenario}), {@code timers} ({@link RawTimersScenario}),
 * {@code signals} ({@link RawSignalsScenario}). Each runs after an unmeasured warmup of one-activity workflows. The
 * last line on stdout is always a {@code RESULT bench=raw-<scenario> ...} line.
 *
 * <p>Exit status: 0 if nothing went wrong, 1 if something did (or the server could not be started), 2 on bad usage.
 */
@Command(
    name = "raw-load",
    mixinStandardHelpOptions = true,
    description = "Raw-gRPC load (no SDK) against a Temporal-API server, with the server's own CPU and memory figures.")
public final class RawLoad implements Callable<Integer> {

  enum Scenario {
    ONE_ACTIVITY("one-activity"),
    TIMERS("timers"),
    SIGNALS("signals"),
    SIGNAL_RATE("signal-rate"),
    SLEEP("sleep"),
    STARTS("starts");

    final String label;

    Scenario(String label) {
      this.label = label;
    }

    static Scenario parse(String text) {
      for (Scenario s : values()) {
        if (s.label.equals(text)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown scenario '" + text + "' (one-activity, timers, signals, signal-rate, sleep, starts)");
    }
  }

  /** The official server's default history.maximumSignalsPerExecution: later signals are refused. */
  static final int MAX_SIGNALS_PER_RUN = 10_000;

  @Mixin BenchOptions options = new BenchOptions(3600);

  @Mixin ServerStatsOptions serverStats = new ServerStatsOptions();

  @Option(names = "--scenario", defaultValue = "one-activity", converter = ScenarioConverter.class,
      description = "one-activity, timers, signals, signal-rate, sleep or starts (default: ${DEFAULT-VALUE}).")
  Scenario scenario;

  @Option(names = {"-n", "--workflows"}, defaultValue = "2000", description = "Workflows of the scenario (default: ${DEFAULT-VALUE}).")
  int workflows;

  @Option(names = {"-c", "--concurrency"}, defaultValue = "50",
      description = "one-activity: workflows in flight; timers, signals: concurrent start and signal calls (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--warmup", defaultValue = "1000", description = "Unmeasured one-activity workflows first (JIT on both sides: a cold server needs about twice the CPU per workflow), bounded to 60 s; 0 disables (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--activity-pollers", defaultValue = "16", description = "Worker activity-task pollers (default: ${DEFAULT-VALUE}).")
  int activityPollers;

  @Option(names = "--channels", defaultValue = "2", description = "gRPC connections to the server (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--long-timer-seconds", defaultValue = "3600", description = "timers: the N long timers (default: ${DEFAULT-VALUE}).")
  long longTimerSeconds;

  @Option(names = "--short-timers", defaultValue = "100", description = "timers: short timers per batch (default: ${DEFAULT-VALUE}).")
  int shortTimers;

  @Option(names = "--short-timer-seconds", defaultValue = "30", description = "timers: duration of the short timers (default: ${DEFAULT-VALUE}).")
  long shortTimerSeconds;

  @Option(names = "--signal-targets", defaultValue = "1", description = "signal-rate: the workflows the N signals are spread over (default: ${DEFAULT-VALUE}).")
  int signalTargets;

  @Option(names = "--sleep-seconds", defaultValue = "1", description = "sleep: how long each workflow sleeps (default: ${DEFAULT-VALUE}).")
  long sleepSeconds;

  @Option(names = "--start-rate", defaultValue = "0", description = "sleep: starts a second, 0 for as fast as C concurrent calls go (default: ${DEFAULT-VALUE}).")
  double startRate;

  @Option(names = "--compare-test-server",
      description = "Then run the same warmup and scenario against Temporal's in-memory test server (started by the bench"
          + " on a free port) and print both RESULT lines, the test server's first, with a COMPARE line of the server"
          + " CPU per workflow between them.")
  boolean compareTestServer;

  @Option(names = "--kill-restart",
      description = "timers: SIGKILL the server once a second short batch is armed, start it again on the same data, and measure it (needs --server-cmd).")
  boolean killRestart;

  @Option(names = "--server-cmd",
      description = "Start the server with this shell command (run as 'exec <cmd>', so its pid is the server's),"
          + " wait for its ready line, measure it and stop it at the end. Must listen on --target.")
  String serverCommand;

  @Option(names = "--server-ready-text", defaultValue = "ready on",
      description = "Line fragment that tells the started server is ready (default: '${DEFAULT-VALUE}', which Tempora and TestServerLauncher print).")
  String serverReadyText;

  @Option(names = "--server-log", description = "Output of the started server (default: raw-server-<run id>.log in the temp directory).")
  Path serverLog;

  @Option(names = "--progress-seconds", defaultValue = "2", description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
  double progressSeconds;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final class ScenarioConverter implements CommandLine.ITypeConverter<Scenario> {
    @Override
    public Scenario convert(String value) {
      try {
        return Scenario.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  public static void main(String[] args) {
    BenchSupport.runAndExit(new RawLoad(), args);
  }

  @Override
  public Integer call() throws Exception {
    validate();
    BenchRun bench = BenchRun.begin(options, "tempora-raw-", compareTestServer ? 2 : 1);
    System.out.println(
        BenchSupport.fmt(
            "raw-load: scenario=%s target=%s namespace=%s task-queue=%s workflows=%d concurrency=%d warmup=%d timeout=%ds",
            scenario.label, options.target, options.namespace, bench.taskQueue(), workflows, concurrency, warmup,
            options.timeoutSeconds));
    ManagedServer server = null;
    RawOutcome outcome;
    try {
      if (serverCommand != null) {
        server = startServer(bench);
        if (server == null) {
          outcome = notRun(bench, null);
          return report(outcome);
        }
      }
      outcome = runScenario(bench, server);
    } finally {
      if (server != null) {
        server.close();
      }
    }
    if (compareTestServer) {
      RawOutcome test = runAgainstTestServer();
      System.out.println(test.resultLine());
      System.out.println(compareLine(outcome, test));
      report(outcome);
      return outcome.errors() == 0 && test.errors() == 0 ? 0 : 1;
    }
    return report(outcome);
  }

  /** The same warmup and scenario against a test server this bench starts and stops. */
  private RawOutcome runAgainstTestServer() throws Exception {
    int port = BenchSupport.freeLoopbackPort();
    String command = BenchSupport.javaCommand(TestServerLauncher.class) + " --port " + port;
    options.target = "127.0.0.1:" + port;
    BenchRun bench = BenchRun.next(options, "tempora-raw-");
    Path log = Path.of(System.getProperty("java.io.tmpdir"), "raw-test-server-" + bench.runId() + ".log");
    ManagedServer server = new ManagedServer(command, "ready on", log);
    try {
      long readyNanos = server.start(120);
      System.out.println(BenchSupport.fmt("raw-load: test server ready after %.2f s on %s, pid %d, log %s",
          readyNanos / 1e9, options.target, server.pid(), log));
      return runScenario(bench, server);
    } catch (java.io.IOException e) {
      System.err.println("error: cannot start the test server: " + e.getMessage());
      return notRun(bench, null);
    } finally {
      server.close();
    }
  }

  /** One word for {@code bash -c}, whatever it contains. */
  private static final java.util.regex.Pattern SERVER_CPU =
      java.util.regex.Pattern.compile("server_cpu_ms_per_workflow=([0-9.]+)");

  /** Server CPU per workflow (per signal for signal-rate) of both runs and their ratio, from the RESULT lines. */
  private static String compareLine(RawOutcome tempora, RawOutcome test) {
    double a = serverCpu(tempora);
    double b = serverCpu(test);
    return BenchSupport.fmt("COMPARE server_cpu_ms_per_workflow tempora=%.2f test_server=%.2f test_server_over_tempora=%.2f",
        a, b, a > 0 && b > 0 ? b / a : -1.0);
  }

  private static double serverCpu(RawOutcome outcome) {
    java.util.regex.Matcher m = SERVER_CPU.matcher(outcome.resultLine());
    return m.find() ? Double.parseDouble(m.group(1)) : -1.0;
  }

  private ManagedServer startServer(BenchRun bench) throws InterruptedException {
    Path log = serverLog != null ? serverLog : Path.of(System.getProperty("java.io.tmpdir"), "raw-server-" + bench.runId() + ".log");
    ManagedServer server = new ManagedServer(serverCommand, serverReadyText, log);
    try {
      long readyNanos = server.start(300);
      System.out.println(BenchSupport.fmt("raw-load: server ready after %.2f s, pid %d, log %s", readyNanos / 1e9,
          server.pid(), log));
      return server;
    } catch (IOException e) {
      System.err.println("error: cannot start the server: " + e.getMessage());
      server.close();
      return null;
    }
  }

  private RawOutcome runScenario(BenchRun bench, ManagedServer server) throws InterruptedException {
    RawGroups groups = new RawGroups();
    ErrorLog errors = new ErrorLog();
    try (RawChannels connections = new RawChannels(options.target, channels);
        StatusTicker ticker = new StatusTicker(progressSeconds)) {
      RawClient client = new RawClient(connections, options.namespace, bench.taskQueue());
      try (RawWorker worker = new RawWorker(client, options.workflowPollers, activityPollers)) {
        worker.listen(groups);
        worker.start();
        RawRun run = new RawRun(bench, client, worker, groups, errors, ticker, server, serverStats);
        if (warmup > 0 && !warmUp(run)) {
          return notRun(bench, server);
        }
        RawOutcome outcome =
            switch (scenario) {
              case ONE_ACTIVITY -> new RawOneActivityScenario(run, workflows, concurrency).run();
              case TIMERS ->
                  new RawTimersScenario(run, workflows, concurrency, longTimerSeconds, shortTimers, shortTimerSeconds,
                      killRestart).run();
              case SIGNALS -> new RawSignalsScenario(run, workflows, concurrency).run();
              case SIGNAL_RATE -> new RawSignalRateScenario(run, workflows, concurrency, signalTargets).run();
              case SLEEP -> new RawSleepScenario(run, workflows, concurrency, sleepSeconds, startRate).run();
              case STARTS -> new RawStartsScenario(run, workflows, concurrency).run();
            };
        System.out.println(
            BenchSupport.fmt("  worker      %d failed polls, %d failed task completions", worker.pollErrors(),
                worker.respondErrors()));
        return outcome;
      }
    }
  }

  /** The unmeasured warmup (JIT and connections on both sides); false if not one workflow completed. */
  private boolean warmUp(RawRun run) throws InterruptedException {
    RawOneActivityPhase phase =
        new RawOneActivityPhase("warmup", run.client(), run.idPrefix() + "-warmup", warmup, concurrency,
            run.workflowTimeoutSeconds(), run.errors());
    run.ticker().watch(phase::status);
    PhaseResult r = phase.run(BenchSupport.warmupDeadline(run.deadlineNanos()));
    run.ticker().watch(null);
    BenchReport.printSummary(System.out, r);
    if (r.completed() == 0) {
      System.err.println("warmup completed no workflow; skipping the measured scenario");
      return false;
    }
    return true;
  }

  /** The scenario's RESULT line for a run that measured nothing, so scripts always find one. */
  private RawOutcome notRun(BenchRun bench, ManagedServer server) {
    RawRun run = new RawRun(bench, null, null, null, null, null, server, serverStats);
    return switch (scenario) {
      case ONE_ACTIVITY -> new RawOneActivityScenario(run, workflows, concurrency).notRun();
      case TIMERS ->
          new RawTimersScenario(run, workflows, concurrency, longTimerSeconds, shortTimers, shortTimerSeconds, killRestart)
              .notRun();
      case SIGNALS -> new RawSignalsScenario(run, workflows, concurrency).notRun();
      case SIGNAL_RATE -> new RawSignalRateScenario(run, workflows, concurrency, signalTargets).notRun();
      case SLEEP -> new RawSleepScenario(run, workflows, concurrency, sleepSeconds, startRate).notRun();
      case STARTS -> new RawStartsScenario(run, workflows, concurrency).notRun();
    };
  }

  private static int report(RawOutcome outcome) {
    System.out.println(outcome.resultLine());
    System.out.flush();
    return outcome.errors() == 0 ? 0 : 1;
  }

  private void validate() {
    if (workflows < 1 || concurrency < 1 || warmup < 0 || options.timeoutSeconds < 1 || options.workflowPollers < 1
        || activityPollers < 1 || channels < 1 || signalTargets < 1 || sleepSeconds < 1 || startRate < 0 || shortTimers < 1 || shortTimerSeconds < 1 || longTimerSeconds < 1
        || progressSeconds <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "need --workflows, --concurrency, --timeout-seconds, pollers, --channels, --signal-targets, --short-timers,"
              + " --sleep-seconds and the timer seconds >= 1, --warmup and --start-rate >= 0 and --progress-seconds > 0");
    }
    if (scenario == Scenario.SIGNAL_RATE && (long) workflows > (long) MAX_SIGNALS_PER_RUN * signalTargets) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "signal-rate: at most " + MAX_SIGNALS_PER_RUN + " signals per target workflow (the official"
              + " default of history.maximumSignalsPerExecution refuses more); raise --signal-targets");
    }
    if (compareTestServer && (killRestart || serverStats.dbProcess != null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--compare-test-server cannot be combined with --kill-restart or --db-process");
    }
    if (compareTestServer && serverCommand == null && serverStats.serverPid == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--compare-test-server compares server CPU: it needs --server-cmd or --server-pid");
    }
    if (killRestart && (scenario != Scenario.TIMERS || serverCommand == null)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--kill-restart is for --scenario timers and needs --server-cmd (the bench must own the server)");
    }
  }
}
