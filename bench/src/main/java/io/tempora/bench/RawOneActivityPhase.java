package io.tempora.bench;

import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * The raw counterpart of {@link LoadPhase}: {@code count} one-activity workflows, {@code concurrency} closed-loop
 * starters. Each starts a workflow, waits for its close event with the history long poll, checks that the result
 * is the input, and takes the next; so exactly {@code concurrency} workflows are in flight. Latency runs from
 * just before the start call until the close event arrives.
 */
final class RawOneActivityPhase {

  private final String name;
  private final RawClient client;
  private final String idPrefix;
  private final int count;
  private final int concurrency;
  private final long executionTimeoutSeconds;
  private final ErrorLog errorLog;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final ConcurrentHistogram latencyMicros = new ConcurrentHistogram(3);
  private final LongAccumulator maxLatencyMicros = new LongAccumulator(Long::max, 0L);

  RawOneActivityPhase(String name, RawClient client, String idPrefix, int count, int concurrency,
      long executionTimeoutSeconds, ErrorLog errorLog) {
    this.name = name;
    this.client = client;
    this.idPrefix = idPrefix;
    this.count = count;
    this.concurrency = Math.max(1, Math.min(concurrency, count));
    this.executionTimeoutSeconds = executionTimeoutSeconds;
    this.errorLog = errorLog;
  }

  String status() {
    int done = completed.get();
    return BenchSupport.fmt("[%s] %d/%d completed, %d errors", name, done, count, failed.get());
  }

  PhaseResult run(long deadlineNanos) throws InterruptedException {
    if (count <= 0) {
      return PhaseResult.notRun(name, 0);
    }
    long t0 = System.nanoTime();
    if (!BenchSupport.runOnThreads(name, concurrency, deadlineNanos, () -> starterLoop(deadlineNanos))) {
      System.err.println("[" + name + "] overall timeout reached; abandoning workflows still in flight");
    }
    long wallNanos = System.nanoTime() - t0;
    int done = completed.get();
    return new PhaseResult(name, count, done, Math.min(failed.get(), count - done), wallNanos, latencyMicros.copy(),
        maxLatencyMicros.get());
  }

  private void starterLoop(long deadlineNanos) {
    while (!Thread.currentThread().isInterrupted()) {
      int index = next.getAndIncrement();
      if (index >= count || BenchSupport.remainingNanos(deadlineNanos) <= 0) {
        return; // done, or out of time: the rest stays unfinished
      }
      runOne(idPrefix + "-" + index, "payload-" + index, deadlineNanos);
    }
  }

  private void runOne(String workflowId, String input, long deadlineNanos) {
    long t0 = System.nanoTime();
    try {
      String runId = client.start(RawDecider.ONE_ACTIVITY, workflowId, RawPayloads.jsonString(input), executionTimeoutSeconds);
      HistoryEvent close = client.awaitClose(workflowId, runId, deadlineNanos);
      long micros = Math.max(1L, (System.nanoTime() - t0) / 1_000L);
      if (close.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
        throw new IllegalStateException("closed with " + close.getEventType());
      }
      String output = RawPayloads.text(close.getWorkflowExecutionCompletedEventAttributes().getResult());
      if (!output.equals('"' + input + '"')) {
        throw new IllegalStateException("returned " + output + ", expected \"" + input + "\"");
      }
      latencyMicros.recordValue(micros);
      maxLatencyMicros.accumulate(micros);
      completed.incrementAndGet();
    } catch (TimeoutException | StatusRuntimeException | IllegalStateException e) {
      failed.incrementAndGet();
      errorLog.report(workflowId, e);
    }
  }
}
