package io.tempora.bench;

import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code --scenario signals}: N workflows blocked on a signal, then all signalled.
 *
 * <ol>
 *   <li>N workflows are started (C concurrent start calls); each answers its first task with no command, so it
 *       waits. Once all wait, the server's RSS and heap are read: the cost of N idle, open workflows.
 *   <li>Every workflow gets one signal (C concurrent signal calls); the worker completes each on its
 *       WorkflowExecutionSignaled. Signals/s is over the signal calls; completion runs from the first signal until
 *       the last run's completion was accepted.
 * </ol>
 *
 * The server's CPU is measured over both steps (not the memory reading in between), so it is per workflow life.
 */
final class RawSignalsScenario {

  private final RawRun run;
  private final int workflows;
  private final int concurrency;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger acked = new AtomicInteger();
  private final AtomicInteger signalFailures = new AtomicInteger();
  private final ConcurrentHistogram signalMicros = new ConcurrentHistogram(3);
  private final LongAccumulator lastAckNanos = new LongAccumulator(Long::max, Long.MIN_VALUE);

  RawSignalsScenario(RawRun run, int workflows, int concurrency) {
    this.run = run;
    this.workflows = workflows;
    this.concurrency = concurrency;
  }

  RawOutcome run() throws InterruptedException {
    String groupName = run.idPrefix() + "-signal";
    RawGroups.Group group = run.groups().group(groupName);
    RawStartBurst burst =
        new RawStartBurst("start", run.client(), RawDecider.SIGNAL, groupName, workflows, concurrency,
            RawPayloads.jsonString("wait"), run.workflowTimeoutSeconds(), run.errors());
    ServerMeter meter = run.meter();
    run.ticker().watch(() -> burst.status() + BenchSupport.fmt(", %d waiting", group.firstTasks()));
    meter.start();
    RawStartBurst.Result starts = burst.run(run.deadlineNanos());
    BenchSupport.awaitCount(group::firstTasks, starts.started(), run.deadlineNanos());
    meter.stop();
    int waiting = group.firstTasks();
    ServerFigures blocked = meter.memoryNow();
    System.out.println(
        BenchSupport.fmt("[start] %d started in %.2f s (%.1f starts/s, %d failed), %d waiting for their signal",
            starts.started(), starts.seconds(), starts.startsPerSecond(), starts.failed(), waiting));
    System.out.println(BenchSupport.fmt("  server      with %d workflows waiting: rss %.1f MiB, heap used %.1f MiB",
        waiting, blocked.rssMb(), blocked.heapMb()));

    run.ticker().watch(() -> BenchSupport.fmt("[signal] %d/%d signals acknowledged, %d failed, %d completed",
        acked.get(), workflows, signalFailures.get(), group.closed()));
    meter.start();
    long t0 = System.nanoTime();
    BenchSupport.runOnThreads("signaller", Math.min(concurrency, workflows), run.deadlineNanos(),
        () -> signalLoop(burst));
    long last = lastAckNanos.get();
    long signalNanos = last == Long.MIN_VALUE ? 0L : last - t0;
    boolean allClosed = BenchSupport.awaitCount(group::closed, acked.get(), run.deadlineNanos());
    meter.stop();
    run.ticker().watch(null);
    int completed = group.closed() - group.failed();
    long lastClose = group.lastCloseNanos();
    double completionSeconds =
        allClosed && completed == workflows && lastClose != Long.MIN_VALUE ? (lastClose - t0) / 1e9 : -1.0;
    ServerFigures server = meter.figures(completed);

    double signalsPerSecond = signalNanos <= 0 ? 0.0 : acked.get() / (signalNanos / 1e9);
    Histogram h = signalMicros.copy();
    System.out.println(
        BenchSupport.fmt(
            "[signal] %d acknowledged (%d failed) in %.2f s = %.1f signals/s; signal ms p50=%.1f p95=%.1f p99=%.1f;"
                + " %d completed, all in %.2f s",
            acked.get(), signalFailures.get(), signalNanos / 1e9, signalsPerSecond, BenchSupport.microsAsMillis(h, 50), BenchSupport.microsAsMillis(h, 95),
            BenchSupport.microsAsMillis(h, 99), completed, completionSeconds));
    double clientPerWorkflow = completed == 0 ? -1.0 : (double) meter.clientCpuMillis() / completed;
    System.out.println(BenchSupport.fmt("  client      cpu %d ms (%.2f ms/workflow)", meter.clientCpuMillis(), clientPerWorkflow));
    if (server.known()) {
      System.out.println(server.summary());
    }
    int errors = workflows - completed;
    return new RawOutcome(
        resultLine(starts.startsPerSecond(), blocked, signalsPerSecond, h, completionSeconds, errors, clientPerWorkflow,
            server),
        errors);
  }

  private void signalLoop(RawStartBurst burst) {
    while (!Thread.currentThread().isInterrupted()) {
      int index = next.getAndIncrement();
      if (index >= workflows || BenchSupport.remainingNanos(run.deadlineNanos()) <= 0) {
        return;
      }
      if (!burst.started(index)) {
        continue; // its start failed, which is already counted
      }
      long t0 = System.nanoTime();
      try {
        run.client().signal(burst.workflowId(index), RawDecider.SIGNAL_NAME, RawPayloads.jsonString("go-" + index));
        long now = System.nanoTime();
        signalMicros.recordValue(Math.max(1L, (now - t0) / 1_000L));
        lastAckNanos.accumulate(now);
        acked.incrementAndGet();
      } catch (StatusRuntimeException e) {
        signalFailures.incrementAndGet();
        run.errors().report(burst.workflowId(index), new IllegalStateException("signal failed", e));
      }
    }
  }

  RawOutcome notRun() {
    return new RawOutcome(
        resultLine(0.0, ServerFigures.UNKNOWN, 0.0, new Histogram(3), -1.0, workflows, -1.0, ServerFigures.UNKNOWN),
        workflows);
  }

  private String resultLine(double startsPerSecond, ServerFigures blocked, double signalsPerSecond, Histogram signal,
      double completionSeconds, int errors, double clientPerWorkflow, ServerFigures server) {
    return new ResultLine()
        .add("bench", "raw-signals")
        .add("target", run.bench().target())
        .add("workflows", workflows)
        .add("concurrency", concurrency)
        .add("starts_per_s", startsPerSecond, 1)
        .add("blocked_rss_mb", blocked.rssMb(), 1)
        .add("blocked_heap_mb", blocked.heapMb(), 1)
        .add("signals_per_s", signalsPerSecond, 1)
        .add("p50_ms", BenchSupport.microsAsMillis(signal, 50), 1)
        .add("p95_ms", BenchSupport.microsAsMillis(signal, 95), 1)
        .add("p99_ms", BenchSupport.microsAsMillis(signal, 99), 1)
        .add("completion_s", completionSeconds, 2)
        .add("errors", errors)
        .add("client_cpu_ms_per_workflow", clientPerWorkflow, 2)
        .server(server)
        .toString();
  }
}
