package io.tempora.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * {@code --scenario timers}: many open timers, and whether short ones still fire on time.
 *
 * <ol>
 *   <li>N workflows each start a long timer (1 h by default), started as fast as C concurrent start calls go; the
 *       phase lasts until every timer is armed (the worker's StartTimer completion accepted). This is the measured
 *       phase of the server's CPU; RSS and heap are read with the N timers open.
 *   <li>A batch of short timers (100 x 30 s by default) with the long ones open: how late they fire.
 *   <li>With {@code --kill-restart} (needs {@code --server-cmd}): another short batch is armed, the server is
 *       SIGKILLed as soon as it is, and started again on the same data. Reported: time until the new process
 *       printed its ready line, its RSS then and once the batch fired, and how late that batch fired.
 * </ol>
 */
final class RawTimersScenario {

  /** How long past its due time a short batch is waited for before its missing timers count as errors. */
  private static final long SHORT_GRACE_SECONDS = 120;

  /** Bound on a restart: a server that needs longer to open its data is reported as failed. */
  private static final long RESTART_TIMEOUT_SECONDS = 600;

  private final RawRun run;
  private final int workflows;
  private final int concurrency;
  private final long longSeconds;
  private final int shortTimers;
  private final long shortSeconds;
  private final boolean killRestart;

  /** One batch of short timers: how many started, armed and fired, how late, and the restart if there was one. */
  private record ShortBatch(int started, int armed, TimerLateness lateness, Restart restart) {
    static final ShortBatch NOT_RUN = new ShortBatch(0, 0, new TimerLateness(), Restart.NOT_RUN);

    int fired() {
      return lateness.fired();
    }
  }

  /** What a kill and restart measured; -1 where it did not get that far. */
  private record Restart(double readySeconds, double readyRssMb, ServerFigures afterBatch) {
    static final Restart NOT_RUN = new Restart(-1.0, -1.0, ServerFigures.UNKNOWN);
  }

  RawTimersScenario(RawRun run, int workflows, int concurrency, long longSeconds, int shortTimers, long shortSeconds,
      boolean killRestart) {
    this.run = run;
    this.workflows = workflows;
    this.concurrency = concurrency;
    this.longSeconds = longSeconds;
    this.shortTimers = shortTimers;
    this.shortSeconds = shortSeconds;
    this.killRestart = killRestart;
  }

  RawOutcome run() throws InterruptedException {
    String groupName = run.idPrefix() + "-long";
    RawGroups.Group longs = run.groups().group(groupName);
    // No execution timeout: these runs are meant to stay open, and an expiring timeout would be extra timers.
    RawStartBurst burst =
        new RawStartBurst("long-timers", run.client(), RawDecider.TIMER, groupName, workflows, concurrency,
            RawPayloads.json(Long.toString(longSeconds)), 0, run.errors());
    ServerMeter meter = run.meter();
    run.ticker().watch(() -> burst.status() + BenchSupport.fmt(", %d timers armed", longs.firstTasks()));
    meter.start();
    long t0 = System.nanoTime();
    RawStartBurst.Result starts = burst.run(run.deadlineNanos());
    BenchSupport.awaitCount(longs::firstTasks, starts.started(), run.deadlineNanos());
    long armedNanos = System.nanoTime() - t0;
    meter.stop();
    run.ticker().watch(null);
    int armed = longs.firstTasks();
    ServerFigures server = meter.figures(armed);
    System.out.println(
        BenchSupport.fmt(
            "[long-timers] %d started in %.2f s (%.1f starts/s, %d failed), %d timers armed after %.2f s",
            starts.started(), starts.seconds(), starts.startsPerSecond(), starts.failed(), armed, armedNanos / 1e9));
    if (server.known()) {
      System.out.println(server.summary());
    }

    ShortBatch steady = shortBatch("short", false);
    ShortBatch afterRestart = killRestart ? shortBatch("restart", true) : ShortBatch.NOT_RUN;

    double clientPerWorkflow = armed == 0 ? -1.0 : (double) meter.clientCpuMillis() / armed;
    System.out.println(BenchSupport.fmt("  client      cpu %d ms over the long-timer phase (%.2f ms/workflow)",
        meter.clientCpuMillis(), clientPerWorkflow));
    int errors = (workflows - armed) + (shortTimers - steady.fired())
        + (killRestart ? shortTimers - afterRestart.fired() : 0);
    return new RawOutcome(
        resultLine(starts, armed, armedNanos, steady, afterRestart, errors, clientPerWorkflow, server), errors);
  }

  /**
   * Starts a batch of short timers, waits until all are armed, optionally kills and restarts the server, then
   * waits until they fired or are hopelessly late.
   */
  private ShortBatch shortBatch(String name, boolean killAfterArming) throws InterruptedException {
    String groupName = run.idPrefix() + "-" + name;
    RawGroups.Group group = run.groups().group(groupName);
    RawStartBurst burst =
        new RawStartBurst(name + "-timers", run.client(), RawDecider.TIMER, groupName, shortTimers, concurrency,
            RawPayloads.json(Long.toString(shortSeconds)), run.workflowTimeoutSeconds(), run.errors());
    run.ticker().watch(() -> BenchSupport.fmt("[%s-timers] %d/%d armed, %d fired", name, group.firstTasks(),
        shortTimers, group.lateness().fired()));
    RawStartBurst.Result starts = burst.run(run.deadlineNanos());
    BenchSupport.awaitCount(group::firstTasks, starts.started(), run.deadlineNanos());
    int armed = group.firstTasks();
    long dueBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(shortSeconds + SHORT_GRACE_SECONDS);
    Restart restart = Restart.NOT_RUN;
    if (killAfterArming) {
      restart = killAndRestart();
      // Restarting may itself take long; the batch still gets its grace after the server is back.
      dueBy = Math.max(dueBy, System.nanoTime() + TimeUnit.SECONDS.toNanos(SHORT_GRACE_SECONDS));
    }
    BenchSupport.awaitCount(() -> group.lateness().fired(), armed, Math.min(run.deadlineNanos(), dueBy));
    run.ticker().watch(null);
    TimerLateness l = group.lateness();
    System.out.println(
        BenchSupport.fmt(
            "[%s-timers] %d x %d s: %d started, %d armed, %d fired; late by (worker) p50=%d p99=%d max=%d ms,"
                + " (TimerFired event) p50=%d p99=%d max=%d ms",
            name, shortTimers, shortSeconds, starts.started(), armed, l.fired(), l.seenAt(50), l.seenAt(99),
            l.seenAt(100), l.eventAt(50), l.eventAt(99), l.eventAt(100)));
    if (restart.readySeconds() >= 0) {
      ServerFigures after = run.meter().memoryNow();
      restart = new Restart(restart.readySeconds(), restart.readyRssMb(), after);
      System.out.println(BenchSupport.fmt("[restart] once the batch fired: rss %.1f MiB, heap used %.1f MiB",
          after.rssMb(), after.heapMb()));
    }
    return new ShortBatch(starts.started(), armed, l, restart);
  }

  private Restart killAndRestart() throws InterruptedException {
    ManagedServer server = run.server();
    server.kill();
    System.out.println("[restart] server SIGKILLed with the batch armed; starting it again on the same data");
    try {
      long readyNanos = server.start(RESTART_TIMEOUT_SECONDS);
      run.client().channels().resetConnectBackoff();
      double rss = run.meter().memoryNow().rssMb();
      System.out.println(BenchSupport.fmt("[restart] ready after %.2f s (pid %d), rss %.1f MiB", readyNanos / 1e9,
          server.pid(), rss));
      return new Restart(readyNanos / 1e9, rss, ServerFigures.UNKNOWN);
    } catch (IOException e) {
      System.err.println("error: restart failed: " + e.getMessage());
      return Restart.NOT_RUN;
    }
  }

  RawOutcome notRun() {
    RawStartBurst.Result none = new RawStartBurst.Result(workflows, 0, 0, 0L, new Histogram(3));
    int errors = workflows + shortTimers * (killRestart ? 2 : 1);
    return new RawOutcome(
        resultLine(none, 0, 0L, ShortBatch.NOT_RUN, ShortBatch.NOT_RUN, errors, -1.0, ServerFigures.UNKNOWN),
        errors);
  }

  private String resultLine(RawStartBurst.Result starts, int armed, long armedNanos, ShortBatch steady,
      ShortBatch afterRestart, int errors, double clientPerWorkflow, ServerFigures server) {
    Restart restart = afterRestart.restart();
    return new ResultLine()
        .add("bench", "raw-timers")
        .add("target", run.bench().target())
        .add("workflows", workflows)
        .add("concurrency", concurrency)
        .add("starts_per_s", starts.startsPerSecond(), 1)
        .add("start_failures", starts.failed())
        .add("start_p50_ms", starts.percentileMillis(50), 1)
        .add("start_p95_ms", starts.percentileMillis(95), 1)
        .add("start_p99_ms", starts.percentileMillis(99), 1)
        .add("armed", armed)
        .add("armed_s", armedNanos / 1e9, 2)
        .add("short_timers", shortTimers)
        .add("late_p50_ms", steady.lateness().seenAt(50))
        .add("late_p99_ms", steady.lateness().seenAt(99))
        .add("late_max_ms", steady.lateness().seenAt(100))
        .add("restart_ready_s", restart.readySeconds(), 2)
        .add("restart_ready_rss_mb", restart.readyRssMb(), 1)
        .add("restart_rss_mb", restart.afterBatch().rssMb(), 1)
        .add("restart_heap_mb", restart.afterBatch().heapMb(), 1)
        .add("restart_late_p50_ms", afterRestart.lateness().seenAt(50))
        .add("restart_late_p99_ms", afterRestart.lateness().seenAt(99))
        .add("restart_late_max_ms", afterRestart.lateness().seenAt(100))
        .add("errors", errors)
        .add("client_cpu_ms_per_workflow", clientPerWorkflow, 2)
        .server(server)
        .toString();
  }
}
