package io.tempora.bench;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a progress line for the running phase every few seconds, so a slow or stuck server is visible
 * while it happens instead of only in the final report.
 */
final class ProgressReporter implements AutoCloseable {

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
          });
  private final long intervalMillis;
  private volatile LoadPhase phase;
  private int lastCompleted;
  private long lastNanos;

  ProgressReporter(double intervalSeconds) {
    this.intervalMillis = Math.max(100L, (long) (intervalSeconds * 1000));
    timer.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Switches reporting to {@code next}; called by the driver before each phase starts. */
  synchronized void watch(LoadPhase next) {
    phase = next;
    lastCompleted = 0;
    lastNanos = System.nanoTime();
  }

  private synchronized void tick() {
    LoadPhase p = phase;
    if (p == null) {
      return;
    }
    long now = System.nanoTime();
    int completed = p.completed();
    int failed = p.failed();
    int inFlight = Math.max(0, p.started() - completed - failed);
    double rate = (completed - lastCompleted) / ((now - lastNanos) / 1e9);
    lastCompleted = completed;
    lastNanos = now;
    System.out.println(
        String.format(
            Locale.ROOT,
            "[%s] %d/%d completed, %d errors, %d in flight, %.1f wf/s over the last %.1f s",
            p.name(), completed, p.count(), failed, inFlight, rate, intervalMillis / 1000.0));
  }

  @Override
  public void close() {
    // Stop before the final report so no progress line can appear after the RESULT line.
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
