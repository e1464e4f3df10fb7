package io.tempora.bench;

import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import picocli.CommandLine;

/** Plumbing shared by the benches: process exit, deadlines, threads, formatting. */
final class BenchSupport {

  private BenchSupport() {}

  /** A port free on the loopback interface now, for a server this bench starts. */
  static int freeLoopbackPort() throws java.io.IOException {
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** A shell command running {@code main}'s class in a new JVM like this one (same java, same class path). */
  static String javaCommand(Class<?> main) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return shellQuote(java) + " -cp " + shellQuote(System.getProperty("java.class.path")) + " " + main.getName();
  }

  private static String shellQuote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Runs a bench's command line and ends the JVM with its exit status. */
  static void runAndExit(Object command, String[] args) {
    int code = new CommandLine(command).execute(args);
    System.out.flush();
    // The SDK's poller and gRPC threads are non-daemon; without an explicit exit the JVM would never end.
    System.exit(code);
  }

  /**
   * Upper bound on a warmup, whatever --timeout-seconds says: a warmup is small, so one that needs longer means
   * the server does not work (e.g. it rejects signals or child workflows), and the run should say so quickly.
   */
  static final long WARMUP_BOUND_SECONDS = 60;

  /** The deadline for a warmup starting now: {@link #WARMUP_BOUND_SECONDS} from now, or the overall one if earlier. */
  static long warmupDeadline(long deadlineNanos) {
    return Math.min(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(WARMUP_BOUND_SECONDS));
  }

  /** A percentile of a histogram of microseconds, in milliseconds; 0 when it is empty. */
  static double microsAsMillis(org.HdrHistogram.Histogram micros, double percentile) {
    return micros.getTotalCount() == 0 ? 0.0 : micros.getValueAtPercentile(percentile) / 1000.0;
  }

  static long remainingNanos(long deadlineNanos) {
    return deadlineNanos - System.nanoTime();
  }

  /**
   * Runs {@code body} on {@code threads} daemon threads and waits for all of them, at most until
   * {@code deadlineNanos} plus a 5 s grace period (bodies are expected to watch the deadline themselves).
   *
   * @return true if every thread finished; false if they had to be abandoned (they are interrupted, and being
   *     daemons they cannot keep the JVM alive)
   */
  static boolean runOnThreads(String name, int threads, long deadlineNanos, Runnable body)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads(name));
    for (int i = 0; i < threads; i++) {
      pool.execute(body);
    }
    pool.shutdown();
    long waitNanos = Math.max(0L, remainingNanos(deadlineNanos)) + TimeUnit.SECONDS.toNanos(5);
    if (pool.awaitTermination(waitNanos, TimeUnit.NANOSECONDS)) {
      return true;
    }
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
    return false;
  }

  /**
   * Waits until {@code current} reaches {@code target} or the deadline passes, checking every 20 ms (the
   * counters come from other threads; a figure taken from it is at most that much late).
   *
   * @return true if the target was reached
   */
  static boolean awaitCount(IntSupplier current, int target, long deadlineNanos) throws InterruptedException {
    while (current.getAsInt() < target) {
      if (remainingNanos(deadlineNanos) <= 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-" + name + "-" + n.incrementAndGet());
      // Daemon so a thread stuck in an RPC can never keep the JVM alive past the report.
      t.setDaemon(true);
      return t;
    };
  }

  /** Locale.ROOT so the decimal separator is always '.', whatever the machine's locale. */
  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
