package io.tempora.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * One measured round of {@link SignalBench}: {@code workflows} {@link SignalCounterWorkflow}s, each expecting
 * {@code signalsPerWorkflow} signals, fed by {@code concurrency} signalling threads.
 *
 * <p>Steps: start every workflow (not measured); start {@code min(concurrency, workflows)} waiter threads that
 * block in {@code getResult}; then the signalling threads send all signals, signal {@code k} going to workflow
 * {@code k % workflows} so that every workflow receives signals throughout the round. Each signalling thread
 * is a closed loop (send, wait for the acknowledgement, send the next), so at most {@code concurrency} signal
 * calls are in flight. The signal rate is acknowledged signals divided by the time from the first signal call
 * until the last one returned; completion is the time from the first signal call until the last workflow
 * returned its (correct) count.
 *
 * <p>A workflow some of whose signals were not acknowledged cannot complete; once signalling is over the round
 * stops waiting for it (it counts as an error, like the failed signals), so a server that rejects signals
 * fails the round quickly instead of holding it until the overall timeout.
 */
final class SignalRound {

  private final String name;
  private final WorkflowClient client;
  private final String taskQueue;
  private final String workflowIdPrefix;
  private final int workflows;
  private final int signalsPerWorkflow;
  private final int concurrency;
  private final Duration workflowTimeout;
  private final ErrorLog errorLog;

  private final AtomicReferenceArray<WorkflowStub> startedStubs;
  private final AtomicReferenceArray<WorkflowStub> signalStubs;
  // Acknowledged signals per workflow: once signalling is over, a workflow short of signalsPerWorkflow can never
  // complete, and the waiters stop waiting for it instead of sitting out the whole timeout.
  private final AtomicIntegerArray ackedPerWorkflow;
  private final AtomicInteger nextStart = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger nextSignal = new AtomicInteger();
  private final AtomicInteger signalsAcked = new AtomicInteger();
  private final AtomicInteger signalsFailed = new AtomicInteger();
  private final AtomicInteger nextWait = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final ConcurrentHistogram signalLatencyMicros = new ConcurrentHistogram(3);
  private final LongAccumulator lastSignalDoneNanos = new LongAccumulator(Long::max, Long.MIN_VALUE);
  private final LongAccumulator lastCompletionNanos = new LongAccumulator(Long::max, Long.MIN_VALUE);
  private volatile long firstSignalNanos;
  private volatile boolean signalling;
  private volatile boolean signallingDone;
  private volatile boolean aborted;

  SignalRound(
      String name,
      WorkflowClient client,
      String taskQueue,
      String workflowIdPrefix,
      int workflows,
      int signalsPerWorkflow,
      int concurrency,
      Duration workflowTimeout,
      ErrorLog errorLog) {
    this.name = name;
    this.client = client;
    this.taskQueue = taskQueue;
    this.workflowIdPrefix = workflowIdPrefix;
    this.workflows = workflows;
    this.signalsPerWorkflow = signalsPerWorkflow;
    this.concurrency = concurrency;
    this.workflowTimeout = workflowTimeout;
    this.errorLog = errorLog;
    this.startedStubs = new AtomicReferenceArray<>(workflows);
    this.signalStubs = new AtomicReferenceArray<>(workflows);
    this.ackedPerWorkflow = new AtomicIntegerArray(workflows);
  }

  String name() {
    return name;
  }

  /** One progress line; safe to call from another thread at any time. */
  String status() {
    if (!signalling) {
      return BenchSupport.fmt("[%s] starting workflows: %d/%d started", name, started.get(), workflows);
    }
    double elapsed = (System.nanoTime() - firstSignalNanos) / 1e9;
    int acked = signalsAcked.get();
    return BenchSupport.fmt(
        "[%s] %d/%d signals acknowledged, %d failed, %d/%d workflows completed, %.1f s, %.1f signals/s so far",
        name, acked, workflows * signalsPerWorkflow, signalsFailed.get(), completed.get(), workflows, elapsed,
        elapsed > 0 ? acked / elapsed : 0.0);
  }

  /**
   * Runs the round and blocks until every workflow completed or {@code deadlineNanos} (a {@link System#nanoTime()}
   * value) passed; whatever had not happened by then counts as an error.
   */
  SignalRoundResult run(long deadlineNanos) throws InterruptedException {
    long t0 = System.nanoTime();
    if (!BenchSupport.runOnThreads(name + "-starter", Math.min(concurrency, workflows), deadlineNanos, this::startLoop)) {
      aborted = true;
    }
    long startNanos = System.nanoTime() - t0;

    // Waiters first, so that a workflow's completion is seen as soon as it happens, not after all signals went out.
    ExecutorService waiters =
        Executors.newFixedThreadPool(Math.min(concurrency, workflows), BenchSupport.daemonThreads(name + "-waiter"));
    for (int i = 0; i < Math.min(concurrency, workflows); i++) {
      waiters.execute(() -> waitLoop(deadlineNanos));
    }
    waiters.shutdown();

    int total = workflows * signalsPerWorkflow;
    firstSignalNanos = System.nanoTime();
    signalling = true;
    if (!aborted
        && !BenchSupport.runOnThreads(
            name + "-signaller", Math.min(concurrency, total), deadlineNanos, () -> signalLoop(deadlineNanos))) {
      System.err.println("[" + name + "] overall timeout reached while signalling");
      aborted = true;
    }
    signallingDone = true;
    long lastSignal = lastSignalDoneNanos.get();
    long signalNanos = lastSignal == Long.MIN_VALUE ? 0L : lastSignal - firstSignalNanos;

    long waitNanos = Math.max(0L, BenchSupport.remainingNanos(deadlineNanos)) + TimeUnit.SECONDS.toNanos(5);
    if (!waiters.awaitTermination(waitNanos, TimeUnit.NANOSECONDS)) {
      System.err.println("[" + name + "] overall timeout reached; abandoning workflows still running");
      aborted = true;
      waiters.shutdownNow();
      waiters.awaitTermination(5, TimeUnit.SECONDS);
    }
    // Snapshot once so the result is consistent even if an abandoned thread is still winding down.
    int done = completed.get();
    long lastCompletion = lastCompletionNanos.get();
    long completionNanos = done == workflows && lastCompletion != Long.MIN_VALUE ? lastCompletion - firstSignalNanos : -1L;
    return new SignalRoundResult(
        name,
        workflows,
        signalsPerWorkflow,
        started.get(),
        startNanos,
        Math.min(signalsAcked.get(), total),
        signalNanos,
        done,
        completionNanos,
        signalLatencyMicros.copy());
  }

  private String workflowId(int index) {
    return workflowIdPrefix + "-" + index;
  }

  private void startLoop() {
    while (!aborted && !Thread.currentThread().isInterrupted()) {
      int index = nextStart.getAndIncrement();
      if (index >= workflows) {
        return;
      }
      String workflowId = workflowId(index);
      WorkflowStub stub =
          client.newUntypedWorkflowStub(
              SignalCounterWorkflow.TYPE,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(taskQueue)
                  .setWorkflowId(workflowId)
                  // Only a safety net: a counter left waiting by a failed run must not live on the server forever.
                  .setWorkflowExecutionTimeout(workflowTimeout)
                  .build());
      try {
        stub.start(signalsPerWorkflow);
        startedStubs.set(index, stub);
        // A separate stub (workflow id only, so: the current run) for the signallers, which share it.
        signalStubs.set(index, client.newUntypedWorkflowStub(workflowId));
        started.incrementAndGet();
      } catch (RuntimeException e) {
        errorLog.report(workflowId, new IllegalStateException("start failed", e));
      }
    }
  }

  private void signalLoop(long deadlineNanos) {
    int total = workflows * signalsPerWorkflow;
    while (!aborted && !Thread.currentThread().isInterrupted()) {
      int k = nextSignal.getAndIncrement();
      if (k >= total || BenchSupport.remainingNanos(deadlineNanos) <= 0) {
        return; // done, or out of time: this and all later signals stay unsent
      }
      int index = k % workflows;
      WorkflowStub stub = signalStubs.get(index);
      if (stub == null) {
        signalsFailed.incrementAndGet(); // its workflow never started; that failure is already reported
        continue;
      }
      long t0 = System.nanoTime();
      try {
        stub.signal(SignalCounterWorkflow.SIGNAL);
        long now = System.nanoTime();
        signalLatencyMicros.recordValue(Math.max(1L, (now - t0) / 1_000L));
        signalsAcked.incrementAndGet();
        ackedPerWorkflow.incrementAndGet(index);
        lastSignalDoneNanos.accumulate(now);
      } catch (RuntimeException e) {
        signalsFailed.incrementAndGet();
        lastSignalDoneNanos.accumulate(System.nanoTime());
        if (!aborted) {
          errorLog.report(workflowId(index), new IllegalStateException("signal " + k + " failed", e));
        }
      }
    }
  }

  private void waitLoop(long deadlineNanos) {
    while (!Thread.currentThread().isInterrupted()) {
      int index = nextWait.getAndIncrement();
      if (index >= workflows) {
        return;
      }
      WorkflowStub stub = startedStubs.get(index);
      long remainingNanos = BenchSupport.remainingNanos(deadlineNanos);
      if (stub == null || remainingNanos <= 0) {
        continue; // never started (already reported) or out of time: counted as not completed
      }
      String workflowId = workflowId(index);
      try {
        Integer count = awaitResult(index, stub, remainingNanos);
        if (count == null) {
          continue; // gave up: some of its signals failed (already reported), so it cannot complete
        }
        if (count != signalsPerWorkflow) {
          throw new IllegalStateException("counted " + count + " signals, expected " + signalsPerWorkflow);
        }
        lastCompletionNanos.accumulate(System.nanoTime());
        completed.incrementAndGet();
      } catch (TimeoutException e) {
        errorLog.report(workflowId, new TimeoutException("no result before the overall deadline"));
      } catch (InterruptedException e) {
        return; // abandoned at the overall timeout
      } catch (RuntimeException e) {
        errorLog.report(workflowId, e);
      }
    }
  }

  /**
   * The workflow's result, or null once signalling is over and not all of this workflow's signals were
   * acknowledged (waiting for it would only burn the rest of the timeout).
   */
  private Integer awaitResult(int index, WorkflowStub stub, long remainingNanos)
      throws TimeoutException, InterruptedException {
    CompletableFuture<Integer> result = stub.getResultAsync(remainingNanos, TimeUnit.NANOSECONDS, Integer.class);
    try {
      while (true) {
        try {
          return result.get(200, TimeUnit.MILLISECONDS);
        } catch (TimeoutException notYet) {
          if (signallingDone && ackedPerWorkflow.get(index) < signalsPerWorkflow) {
            result.cancel(true);
            return null;
          }
        }
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof TimeoutException t) {
        throw t;
      }
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    } catch (InterruptedException e) {
      result.cancel(true);
      throw e;
    }
  }
}
