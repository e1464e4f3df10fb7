package io.tempora.bench;

/**
 * Everything a raw scenario works with: the run (deadline, ids), the client and the worker on their connections,
 * the per-group counters the worker feeds, the error log, the progress ticker, and the server process if the bench
 * started it (else null).
 */
record RawRun(
    BenchRun bench,
    RawClient client,
    RawWorker worker,
    RawGroups groups,
    ErrorLog errors,
    StatusTicker ticker,
    ManagedServer server,
    ServerStatsOptions serverStats) {

  long deadlineNanos() {
    return bench.deadlineNanos();
  }

  /** Prefix of every workflow id of the run; a scenario adds a group name, the bench an index. */
  String idPrefix() {
    return "raw-" + bench.runId();
  }

  /** Execution timeout of the workflows that are meant to finish: a safety net for those a failed run leaves. */
  long workflowTimeoutSeconds() {
    return bench.workflowTimeout().toSeconds();
  }

  /** A meter on the server as it is now: the one the bench started (its pid changes on a restart), else --server-pid. */
  ServerMeter meter() {
    return serverStats.meter(server != null ? server.pid() : null);
  }
}
