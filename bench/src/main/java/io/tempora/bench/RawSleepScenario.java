package io.tempora.bench;

import java.util.concurrent.TimeUnit;

/**
 * {@code --scenario sleep}: N workflows that each sleep {@code --sleep-seconds} (1 s) and complete, started as
 * fast as C concurrent start calls go or at {@code --start-rate} a second: how late short timers fire while the server is busy starting and closing
 * runs. Lateness as {@link TimerLateness} measures it (at the worker, and of the TimerFired event). The server's
 * CPU is per workflow, from the first start until the last run closed.
 */
final class RawSleepScenario {

  /** How long past the last start the timers are waited for before missing ones count as errors. */
  private static final long GRACE_SECONDS = 120;

  private final RawRun run;
  private final int workflows;
  private final int concurrency;
  private final long sleepSeconds;
  private final double startRate;

  RawSleepScenario(RawRun run, int workflows, int concurrency, long sleepSeconds, double startRate) {
    this.startRate = startRate;
    this.run = run;
    this.workflows = workflows;
    this.concurrency = concurrency;
    this.sleepSeconds = sleepSeconds;
  }

  RawOutcome run() throws InterruptedException {
    String groupName = run.idPrefix() + "-sleep";
    RawGroups.Group group = run.groups().group(groupName);
    RawStartBurst burst =
        new RawStartBurst("sleep", run.client(), RawDecider.TIMER, groupName, workflows, concurrency,
            RawPayloads.json(Long.toString(sleepSeconds)), run.workflowTimeoutSeconds(), run.errors())
            .paced(startRate);
    run.ticker().watch(() -> burst.status() + BenchSupport.fmt(", %d fired, %d closed", group.lateness().fired(),
        group.closed()));
    ServerMeter meter = run.meter();
    meter.start();
    long t0 = System.nanoTime();
    RawStartBurst.Result starts = burst.run(run.deadlineNanos());
    long dueBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(sleepSeconds + GRACE_SECONDS);
    BenchSupport.awaitCount(group::closed, starts.started(), Math.min(run.deadlineNanos(), dueBy));
    long nanos = System.nanoTime() - t0;
    meter.stop();
    run.ticker().watch(null);
    int completed = group.closed() - group.failed();
    ServerFigures server = meter.figures(completed);
    TimerLateness l = group.lateness();
    System.out.println(
        BenchSupport.fmt(
            "[sleep] %d x %d s: %d started in %.2f s (%.1f/s, %d failed), %d fired, %d completed, all in %.2f s;"
                + " late by (worker) p50=%d p95=%d p99=%d max=%d ms, (TimerFired event) p50=%d p99=%d max=%d ms",
            workflows, sleepSeconds, starts.started(), starts.seconds(), starts.startsPerSecond(), starts.failed(),
            l.fired(), completed, nanos / 1e9, l.seenAt(50), l.seenAt(95), l.seenAt(99), l.seenAt(100), l.eventAt(50),
            l.eventAt(99), l.eventAt(100)));
    double clientPerWorkflow = completed == 0 ? -1.0 : (double) meter.clientCpuMillis() / completed;
    System.out.println(BenchSupport.fmt("  client      cpu %d ms (%.2f ms/workflow)", meter.clientCpuMillis(), clientPerWorkflow));
    if (server.known()) {
      System.out.println(server.summary());
    }
    int errors = workflows - completed;
    return new RawOutcome(resultLine(starts.startsPerSecond(), nanos / 1e9, l, errors, clientPerWorkflow, server), errors);
  }

  RawOutcome notRun() {
    return new RawOutcome(resultLine(0.0, -1.0, new TimerLateness(), workflows, -1.0, ServerFigures.UNKNOWN), workflows);
  }

  private String resultLine(double startsPerSecond, double seconds, TimerLateness l, int errors,
      double clientPerWorkflow, ServerFigures server) {
    return new ResultLine()
        .add("bench", "raw-sleep")
        .add("target", run.bench().target())
        .add("workflows", workflows)
        .add("concurrency", concurrency)
        .add("sleep_s", sleepSeconds)
        .add("start_rate", startRate, 0)
        .add("starts_per_s", startsPerSecond, 1)
        .add("seconds", seconds, 2)
        .add("late_p50_ms", l.seenAt(50))
        .add("late_p95_ms", l.seenAt(95))
        .add("late_p99_ms", l.seenAt(99))
        .add("late_max_ms", l.seenAt(100))
        .add("event_late_p99_ms", l.eventAt(99))
        .add("errors", errors)
        .add("client_cpu_ms_per_workflow", clientPerWorkflow, 2)
        .server(server)
        .toString();
  }
}
