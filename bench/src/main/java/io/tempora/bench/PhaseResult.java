package io.tempora.bench;

import org.HdrHistogram.Histogram;

/**
 * What one {@link LoadPhase} produced.
 *
 * @param name phase label used in output ("warmup", "measure")
 * @param requested workflows the phase was asked to run
 * @param completed workflows whose result came back and matched the input
 * @param failed workflows that were started (or tried to) but failed, timed out or returned a wrong result
 * @param wallNanos from the phase's first start call until its last starter finished
 * @param latencyMicros start-to-completion latency of every completed workflow, in microseconds
 * @param maxLatencyMicros exact maximum (the histogram rounds values to 3 significant digits)
 */
record PhaseResult(
    String name,
    int requested,
    int completed,
    int failed,
    long wallNanos,
    Histogram latencyMicros,
    long maxLatencyMicros) {

  /** A phase that was never run, e.g. because warmup showed the server does not work. */
  static PhaseResult notRun(String name, int requested) {
    return new PhaseResult(name, requested, 0, 0, 0L, new Histogram(3), 0L);
  }

  /** Workflows never started or still running when the phase was cut off by the overall timeout. */
  int unfinished() {
    return requested - completed - failed;
  }

  /** Everything that did not complete correctly counts as an error: a bench that silently drops work lies. */
  int errors() {
    return failed + unfinished();
  }

  double seconds() {
    return wallNanos / 1e9;
  }

  double throughput() {
    return wallNanos == 0 ? 0.0 : completed / seconds();
  }

  /** Latency at {@code percentile} (0..100) in milliseconds, 0 when nothing completed. */
  double percentileMillis(double percentile) {
    return latencyMicros.getTotalCount() == 0 ? 0.0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }

  double maxMillis() {
    return maxLatencyMicros / 1000.0;
  }

  double meanMillis() {
    return latencyMicros.getTotalCount() == 0 ? 0.0 : latencyMicros.getMean() / 1000.0;
  }
}
