package io.tempora.bench;

import org.HdrHistogram.Histogram;

/**
 * What one {@link SignalRound} produced.
 *
 * @param name round label used in output ("warmup", "one-workflow", "many-workflows")
 * @param workflows counter workflows the round was asked to run
 * @param signalsPerWorkflow signals each of them had to receive
 * @param workflowsStarted workflows whose start call succeeded
 * @param startNanos wall time of starting the workflows (not part of any rate)
 * @param signalsAcked signal calls the server acknowledged
 * @param signalNanos from the first signal call until the last one returned (acknowledged or failed)
 * @param workflowsCompleted workflows that completed and returned exactly {@code signalsPerWorkflow}
 * @param completionNanos from the first signal call until the last workflow returned its correct result;
 *     -1 if not every workflow did
 * @param signalLatencyMicros round-trip time of every acknowledged signal call, in microseconds
 */
record SignalRoundResult(
    String name,
    int workflows,
    int signalsPerWorkflow,
    int workflowsStarted,
    long startNanos,
    int signalsAcked,
    long signalNanos,
    int workflowsCompleted,
    long completionNanos,
    Histogram signalLatencyMicros) {

  /** A round that was never run, e.g. because warmup showed the server does not work. */
  static SignalRoundResult notRun(String name, int workflows, int signalsPerWorkflow) {
    return new SignalRoundResult(name, workflows, signalsPerWorkflow, 0, 0L, 0, 0L, 0, -1L, new Histogram(3));
  }

  int signalsRequested() {
    return workflows * signalsPerWorkflow;
  }

  /** Signals that failed or were never sent (workflow not started, overall timeout). */
  int signalErrors() {
    return signalsRequested() - signalsAcked;
  }

  /** Workflows that failed, returned a wrong count, were never started or had not completed in time. */
  int workflowErrors() {
    return workflows - workflowsCompleted;
  }

  int errors() {
    return signalErrors() + workflowErrors();
  }

  double signalsPerSecond() {
    return signalNanos <= 0 ? 0.0 : signalsAcked / (signalNanos / 1e9);
  }

  /** Seconds from the first signal until every workflow completed correctly, -1 if that never happened. */
  double completionSeconds() {
    return completionNanos < 0 ? -1.0 : completionNanos / 1e9;
  }

  double signalPercentileMillis(double percentile) {
    return signalLatencyMicros.getTotalCount() == 0
        ? 0.0
        : signalLatencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }
}
