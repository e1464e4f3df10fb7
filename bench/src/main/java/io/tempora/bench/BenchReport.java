package io.tempora.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Formats the final report: a human-readable summary followed by the one machine-readable RESULT line. */
final class BenchReport {

  private BenchReport() {}

  static void printSummary(PrintStream out, PhaseResult r) {
    out.println(String.format(Locale.ROOT, "[%s] %d workflows requested", r.name(), r.requested()));
    out.println(String.format(Locale.ROOT, "  completed   %d", r.completed()));
    out.println(
        String.format(
            Locale.ROOT, "  errors      %d (failed %d, unfinished %d)", r.errors(), r.failed(), r.unfinished()));
    out.println(String.format(Locale.ROOT, "  wall time   %.2f s", r.seconds()));
    out.println(String.format(Locale.ROOT, "  throughput  %.1f workflows/s", r.throughput()));
    out.println(
        String.format(
            Locale.ROOT,
            "  latency ms  p50=%.1f p95=%.1f p99=%.1f max=%.1f mean=%.1f",
            r.percentileMillis(50),
            r.percentileMillis(95),
            r.percentileMillis(99),
            r.maxMillis(),
            r.meanMillis()));
  }

  /**
   * The line scripts grep for. Keep the key order and names stable: run-compare.sh and anyone diffing runs
   * rely on them. Locale.ROOT so the decimal separator is always '.'.
   */
  static String resultLine(String target, int concurrency, PhaseResult r) {
    return String.format(
        Locale.ROOT,
        "RESULT target=%s workflows=%d concurrency=%d seconds=%.2f throughput=%.1f"
            + " p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d",
        target,
        r.requested(),
        concurrency,
        r.seconds(),
        r.throughput(),
        r.percentileMillis(50),
        r.percentileMillis(95),
        r.percentileMillis(99),
        r.maxMillis(),
        r.errors());
  }
}
