package io.tempora.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Plumbing shared by {@link SignalBench} and {@link FanOutBench}: connection, threads, shutdown, formatting. */
final class BenchSupport {

  private BenchSupport() {}

  /** A client and the one gRPC channel under it; the worker's long polls and the drivers' RPCs share it. */
  record Connection(WorkflowServiceStubs service, WorkflowClient client) {}

  static Connection connect(String target, String namespace) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    WorkflowClient client =
        WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    return new Connection(service, client);
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

  /** Eight hex characters, unique enough to keep task queues and workflow ids of different runs apart. */
  static String newRunId() {
    return UUID.randomUUID().toString().substring(0, 8);
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

  static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-" + name + "-" + n.incrementAndGet());
      // Daemon so a thread stuck in an RPC can never keep the JVM alive past the report.
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Bounded, best-effort shutdown ({@code factory} is null if it never started): the numbers are already
   * taken, so never let a slow server delay the report. Same as LoadGenerator's.
   */
  static void shutdown(WorkerFactory factory, WorkflowServiceStubs service) {
    try {
      if (factory != null) {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
      }
      service.shutdownNow();
      service.awaitTermination(5, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      System.err.println("warning: shutdown: " + e);
    }
  }

  /** Locale.ROOT so the decimal separator is always '.', whatever the machine's locale. */
  static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
