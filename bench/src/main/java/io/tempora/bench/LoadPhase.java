package io.tempora.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Runs a fixed number of {@link BenchWorkflow}s with a fixed number of starter threads.
 *
 * <p>Each starter is a closed loop: start one workflow, block until its result arrives, then take the next.
 * So the concurrency is exactly the number of workflows in flight, and latency is measured per workflow from
 * just before the start call until {@code getResult} returns (the end-to-end time a client would see).
 */
final class LoadPhase {

  private final String name;
  private final WorkflowClient client;
  private final String taskQueue;
  private final String workflowIdPrefix;
  private final int count;
  private final int concurrency;
  private final ErrorLog errorLog;

  private final AtomicInteger nextIndex = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  // Values in microseconds; auto-resizing so a pathological multi-minute latency is still recorded.
  private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);
  private final LongAccumulator maxLatencyMicros = new LongAccumulator(Long::max, 0L);
  private volatile boolean aborted;

  LoadPhase(
      String name,
      WorkflowClient client,
      String taskQueue,
      String workflowIdPrefix,
      int count,
      int concurrency,
      ErrorLog errorLog) {
    this.name = name;
    this.client = client;
    this.taskQueue = taskQueue;
    this.workflowIdPrefix = workflowIdPrefix;
    this.count = count;
    // More starters than workflows would only create idle threads.
    this.concurrency = Math.max(1, Math.min(concurrency, count));
    this.errorLog = errorLog;
  }

  String name() {
    return name;
  }

  int count() {
    return count;
  }

  int started() {
    return started.get();
  }

  int completed() {
    return completed.get();
  }

  int failed() {
    return failed.get();
  }

  /**
   * Runs the phase and blocks until every workflow finished or {@code deadlineNanos} (a {@link System#nanoTime()}
   * value) passed; whatever had not finished by then is reported as unfinished.
   */
  PhaseResult run(long deadlineNanos) throws InterruptedException {
    if (count <= 0) {
      return PhaseResult.notRun(name, 0);
    }
    ExecutorService starters = Executors.newFixedThreadPool(concurrency, starterThreads());
    long startNanos = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      starters.execute(() -> starterLoop(deadlineNanos));
    }
    starters.shutdown();
    // Starters stop taking work at the deadline and bound getResult by it, so a short grace period suffices.
    long waitNanos = Math.max(0L, deadlineNanos - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5);
    if (!starters.awaitTermination(waitNanos, TimeUnit.NANOSECONDS)) {
      System.err.println("[" + name + "] overall timeout reached; abandoning workflows still in flight");
      aborted = true;
      starters.shutdownNow();
      starters.awaitTermination(5, TimeUnit.SECONDS);
    }
    long wallNanos = System.nanoTime() - startNanos;
    // Snapshot the counters once so the result is internally consistent even if an abandoned starter
    // thread is still winding down.
    int done = completed.get();
    int bad = Math.min(failed.get(), count - done);
    return new PhaseResult(name, count, done, bad, wallNanos, latencyMicros.copy(), maxLatencyMicros.get());
  }

  private void starterLoop(long deadlineNanos) {
    while (!aborted && !Thread.currentThread().isInterrupted()) {
      int index = nextIndex.getAndIncrement();
      if (index >= count) {
        return;
      }
      long remainingNanos = deadlineNanos - System.nanoTime();
      if (remainingNanos <= 0) {
        return; // out of time: this and all later indexes stay unfinished
      }
      runOne(index, remainingNanos);
    }
  }

  private void runOne(int index, long remainingNanos) {
    String workflowId = workflowIdPrefix + "-" + index;
    String input = "payload-" + index;
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            BenchWorkflow.TYPE,
            WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(workflowId).build());
    started.incrementAndGet();
    long t0 = System.nanoTime();
    try {
      stub.start(input);
      String output = stub.getResult(remainingNanos, TimeUnit.NANOSECONDS, String.class);
      long micros = Math.max(1L, (System.nanoTime() - t0) / 1_000L);
      if (!input.equals(output)) {
        throw new IllegalStateException("returned '" + output + "', expected '" + input + "'");
      }
      latencyMicros.recordValue(micros);
      maxLatencyMicros.accumulate(micros);
      completed.incrementAndGet();
    } catch (TimeoutException e) {
      failed.incrementAndGet();
      errorLog.report(workflowId, new TimeoutException("no result before the overall deadline"));
    } catch (RuntimeException e) {
      failed.incrementAndGet();
      if (!aborted) {
        errorLog.report(workflowId, e);
      }
    }
  }

  private ThreadFactory starterThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-" + name + "-starter-" + n.incrementAndGet());
      // Daemon so a starter stuck in an RPC can never keep the JVM alive past the report.
      t.setDaemon(true);
      return t;
    };
  }
}
