package io.tempora.bench;

import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Starts {@code count} workflows as fast as the server takes them: {@code concurrency} threads, each calling
 * StartWorkflowExecution again as soon as the previous call returned, without waiting for the workflows. The
 * ids are {@code <prefix>-<index>}, so {@link RawGroups} can follow the batch. A failed start is counted, not
 * retried: the rate must be what the server sustains.
 */
final class RawStartBurst {

  /**
   * @param nanos from the first start call until the last one returned
   * @param latencyMicros duration of every successful start call
   */
  record Result(int requested, int started, int failed, long nanos, Histogram latencyMicros) {
    double startsPerSecond() {
      return nanos <= 0 ? 0.0 : started / (nanos / 1e9);
    }

    double seconds() {
      return nanos / 1e9;
    }

    double percentileMillis(double percentile) {
      return latencyMicros.getTotalCount() == 0 ? 0.0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private final String name;
  private final RawClient client;
  private final String workflowType;
  private final String idPrefix;
  private final int count;
  private final int concurrency;
  private final Payloads input;
  private final long executionTimeoutSeconds;
  private final ErrorLog errorLog;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicIntegerArray startedFlags;
  private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);

  RawStartBurst(String name, RawClient client, String workflowType, String idPrefix, int count, int concurrency,
      Payloads input, long executionTimeoutSeconds, ErrorLog errorLog) {
    this.name = name;
    this.client = client;
    this.workflowType = workflowType;
    this.idPrefix = idPrefix;
    this.count = count;
    this.concurrency = Math.max(1, Math.min(concurrency, count));
    this.input = input;
    this.executionTimeoutSeconds = executionTimeoutSeconds;
    this.errorLog = errorLog;
    this.startedFlags = new AtomicIntegerArray(count);
  }

  private double startsPerSecond; // 0: as fast as the concurrent calls go
  private long t0Nanos;

  /** Paces the starts at {@code perSecond} (0: unpaced), so a scenario can load the server below saturation. */
  RawStartBurst paced(double perSecond) {
    this.startsPerSecond = perSecond;
    return this;
  }

  String workflowId(int index) {
    return idPrefix + "-" + index;
  }

  /** Whether workflow {@code index} was started (so a later step, e.g. signalling, skips the others). */
  boolean started(int index) {
    return startedFlags.get(index) == 1;
  }

  String status() {
    return BenchSupport.fmt("[%s] %d/%d started, %d failed", name, started.get(), count, failed.get());
  }

  Result run(long deadlineNanos) throws InterruptedException {
    long t0 = System.nanoTime();
    t0Nanos = t0;
    BenchSupport.runOnThreads(name, concurrency, deadlineNanos, () -> startLoop(deadlineNanos));
    long nanos = System.nanoTime() - t0;
    int ok = started.get();
    return new Result(count, ok, count - ok, nanos, latencyMicros.copy());
  }

  /** Waits until {@code dueNanos}; false if the deadline or an interrupt comes first. */
  private static boolean awaitTurn(long dueNanos, long deadlineNanos) {
    while (true) {
      long now = System.nanoTime();
      if (Thread.currentThread().isInterrupted() || now - deadlineNanos >= 0) {
        return false;
      }
      if (now - dueNanos >= 0) {
        return true;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(Math.min(dueNanos - now, deadlineNanos - now));
    }
  }

  private void startLoop(long deadlineNanos) {
    while (!Thread.currentThread().isInterrupted()) {
      int index = next.getAndIncrement();
      if (index >= count || BenchSupport.remainingNanos(deadlineNanos) <= 0) {
        return;
      }
      if (startsPerSecond > 0 && !awaitTurn(t0Nanos + (long) (index * 1e9 / startsPerSecond), deadlineNanos)) {
        return;
      }
      long t0 = System.nanoTime();
      try {
        client.start(workflowType, workflowId(index), input, executionTimeoutSeconds);
        latencyMicros.recordValue(Math.max(1L, (System.nanoTime() - t0) / 1_000L));
        startedFlags.set(index, 1);
        started.incrementAndGet();
      } catch (StatusRuntimeException e) {
        failed.incrementAndGet();
        errorLog.report(workflowId(index), new IllegalStateException("start failed", e));
      }
    }
  }
}
