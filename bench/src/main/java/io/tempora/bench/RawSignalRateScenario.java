package io.tempora.bench;

import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@code --scenario signal-rate}: how many signals a second the server takes into one workflow or spread over a
 * few ({@code --signal-targets}, default 1).
 *
 * <p>The target workflows run on a task queue no worker polls: their first workflow task stays scheduled, so each
 * signal is one durable transition of the server (a WorkflowExecutionSignaled event appended) and nothing else,
 * as for workflows whose worker is busy. A worker answering a task per signal with the whole history (this bench
 * has no sticky queue) would measure the history's growth instead; the SDK's {@code SignalBench} covers signals
 * with a worker. N signals are sent by C concurrent callers, target {@code i % K} for signal i; then every
 * target's history is read and its WorkflowExecutionSignaled events counted: a signal acknowledged but missing is
 * an error. The targets are terminated at the end. The server's CPU is per signal, over the signal calls.
 */
final class RawSignalRateScenario {

  private final RawRun run;
  private final int signals;
  private final int concurrency;
  private final int targets;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger acked = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final ConcurrentHistogram micros = new ConcurrentHistogram(3);

  RawSignalRateScenario(RawRun run, int signals, int concurrency, int targets) {
    this.run = run;
    this.signals = signals;
    this.concurrency = concurrency;
    this.targets = targets;
  }

  RawOutcome run() throws InterruptedException {
    String[] ids = new String[targets];
    String[] runIds = new String[targets];
    AtomicLongArray ackedPerTarget = new AtomicLongArray(targets);
    String idleQueue = run.client().taskQueue() + "-unpolled";
    for (int i = 0; i < targets; i++) {
      ids[i] = run.idPrefix() + "-signal-target-" + i;
      try {
        runIds[i] = run.client().start(RawDecider.SIGNAL, ids[i], RawPayloads.jsonString("wait"),
            run.workflowTimeoutSeconds(), idleQueue);
      } catch (StatusRuntimeException e) {
        run.errors().report(ids[i], new IllegalStateException("start failed", e)); // its signals fail and count
      }
    }
    run.ticker().watch(() -> BenchSupport.fmt("[signal-rate] %d/%d acknowledged, %d failed", acked.get(), signals,
        failed.get()));
    ServerMeter meter = run.meter();
    meter.start();
    long t0 = System.nanoTime();
    BenchSupport.runOnThreads("signaller", Math.min(concurrency, signals), run.deadlineNanos(), () -> {
      while (!Thread.currentThread().isInterrupted()) {
        int index = next.getAndIncrement();
        if (index >= signals || BenchSupport.remainingNanos(run.deadlineNanos()) <= 0) {
          return;
        }
        int target = index % targets;
        long s0 = System.nanoTime();
        try {
          run.client().signal(ids[target], RawDecider.SIGNAL_NAME, RawPayloads.jsonString("s-" + index));
          micros.recordValue(Math.max(1L, (System.nanoTime() - s0) / 1_000L));
          ackedPerTarget.incrementAndGet(target);
          acked.incrementAndGet();
        } catch (StatusRuntimeException e) {
          failed.incrementAndGet();
          run.errors().report(ids[target], new IllegalStateException("signal failed", e));
        }
      }
    });
    long nanos = System.nanoTime() - t0;
    meter.stop();
    run.ticker().watch(null);
    // Read once: callers abandoned at the deadline could still move the counters.
    int ackedCount = acked.get();
    int failedCount = failed.get();
    ServerFigures server = meter.figures(ackedCount);

    long missing = 0;
    for (int i = 0; i < targets; i++) {
      if (runIds[i] == null) {
        continue;
      }
      try {
        long inHistory = run.client().countSignals(ids[i], runIds[i]);
        missing += Math.max(0L, ackedPerTarget.get(i) - inHistory);
      } catch (StatusRuntimeException e) {
        missing += ackedPerTarget.get(i); // unverifiable counts as lost
        run.errors().report(ids[i], new IllegalStateException("history read failed", e));
      }
      try {
        run.client().terminate(ids[i], "signal-rate bench done");
      } catch (StatusRuntimeException e) {
        run.errors().report(ids[i], new IllegalStateException("terminate failed", e));
      }
    }
    double perSecond = nanos <= 0 ? 0.0 : ackedCount / (nanos / 1e9);
    Histogram h = micros.copy();
    System.out.println(
        BenchSupport.fmt(
            "[signal-rate] %d signals into %d workflow(s): %d acknowledged (%d failed) in %.2f s = %.1f signals/s;"
                + " signal ms p50=%.1f p95=%.1f p99=%.1f; %d acknowledged but missing from the histories",
            signals, targets, ackedCount, failedCount, nanos / 1e9, perSecond, BenchSupport.microsAsMillis(h, 50), BenchSupport.microsAsMillis(h, 95),
            BenchSupport.microsAsMillis(h, 99), missing));
    double clientPerSignal = ackedCount == 0 ? -1.0 : (double) meter.clientCpuMillis() / ackedCount;
    System.out.println(BenchSupport.fmt("  client      cpu %d ms (%.2f ms/signal)", meter.clientCpuMillis(), clientPerSignal));
    if (server.known()) {
      System.out.println(server.summary().replace("/workflow", "/signal"));
    }
    int errors = (signals - ackedCount) + (int) missing; // failed or never sent, plus acknowledged but lost
    return new RawOutcome(resultLine(perSecond, h, errors, clientPerSignal, server), errors);
  }

  RawOutcome notRun() {
    return new RawOutcome(resultLine(0.0, new Histogram(3), signals, -1.0, ServerFigures.UNKNOWN), signals);
  }

  private String resultLine(double perSecond, Histogram h, int errors, double clientPerSignal, ServerFigures server) {
    // The server figures are per signal here: ResultLine names them per workflow, each signal standing for one.
    return new ResultLine()
        .add("bench", "raw-signal-rate")
        .add("target", run.bench().target())
        .add("signals", signals)
        .add("signal_targets", targets)
        .add("concurrency", concurrency)
        .add("signals_per_s", perSecond, 1)
        .add("p50_ms", BenchSupport.microsAsMillis(h, 50), 1)
        .add("p95_ms", BenchSupport.microsAsMillis(h, 95), 1)
        .add("p99_ms", BenchSupport.microsAsMillis(h, 99), 1)
        .add("errors", errors)
        .add("client_cpu_ms_per_signal", clientPerSignal, 2)
        .server(server)
        .toString();
  }
}
