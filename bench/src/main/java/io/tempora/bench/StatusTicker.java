package io.tempora.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints a status line every few seconds for whatever is being watched, so a slow or stuck server is visible
 * while it happens instead of only in the final report. What the line says is up to the watched phase (e.g.
 * {@link LoadProgress}, {@link SignalRound#status}).
 */
final class StatusTicker implements AutoCloseable {

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(BenchSupport.daemonThreads("progress"));
  private final long intervalMillis;
  private volatile Supplier<String> status;

  StatusTicker(double intervalSeconds) {
    // At least 100 ms: a smaller --progress-seconds would only flood stdout.
    intervalMillis = Math.max(100L, (long) (intervalSeconds * 1000));
    timer.scheduleAtFixedRate(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** The interval actually used, for status lines that name it. */
  double intervalSeconds() {
    return intervalMillis / 1000.0;
  }

  /** Switches reporting to {@code next} (null: print nothing until the next watch). */
  void watch(Supplier<String> next) {
    status = next;
  }

  private void tick() {
    Supplier<String> s = status;
    if (s != null) {
      System.out.println(s.get());
    }
  }

  @Override
  public void close() {
    // Stop before the final report so no status line can appear after the RESULT line.
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
