package io.tempora.bench;

import java.util.function.Supplier;

/**
 * The progress line of a running {@link LoadPhase}, for {@link StatusTicker}: counts so far and the completion
 * rate since the previous line, so a slow or stuck server is visible while it happens instead of only in the
 * final report.
 */
final class LoadProgress implements Supplier<String> {

  private final LoadPhase phase;
  private final double intervalSeconds;
  // Touched only by the ticker's single thread once this is being watched; the rate counts from creation.
  private int lastCompleted;
  private long lastNanos = System.nanoTime();

  /** {@code intervalSeconds} is the ticker's nominal interval, which the line names. */
  LoadProgress(LoadPhase phase, double intervalSeconds) {
    this.phase = phase;
    this.intervalSeconds = intervalSeconds;
  }

  @Override
  public String get() {
    long now = System.nanoTime();
    int completed = phase.completed();
    int failed = phase.failed();
    int inFlight = Math.max(0, phase.started() - completed - failed);
    double rate = (completed - lastCompleted) / ((now - lastNanos) / 1e9);
    lastCompleted = completed;
    lastNanos = now;
    return BenchSupport.fmt(
        "[%s] %d/%d completed, %d errors, %d in flight, %.1f wf/s over the last %.1f s",
        phase.name(), completed, phase.count(), failed, inFlight, rate, intervalSeconds);
  }
}
