package io.tempora.bench;

import picocli.CommandLine.Option;

/**
 * The options every bench takes with the same meaning: which server, which task queue, the overall bound and the
 * worker's workflow pollers. A picocli mixin, so they are declared once; the help of each bench is unchanged
 * because picocli lists options sorted by name, wherever they are declared.
 */
final class BenchOptions {

  @Option(names = "--target", defaultValue = "127.0.0.1:7233", description = "Server host:port (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--namespace", defaultValue = "default", description = "Namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--task-queue", description = "Task queue (default: unique per run, so runs never see each other's tasks).")
  String taskQueue;

  // No defaultValue attribute: the benches differ (the load generator's runs are longer), so each passes its
  // own to the constructor and picocli uses the field's initial value as the default, in the help too.
  @Option(names = "--timeout-seconds", description = "Bound on the whole run, warmup included (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  // 16 rather than the SDK's 5: see BenchWorker for why the worker must never be the one falling behind.
  @Option(names = "--workflow-pollers", defaultValue = "16", description = "Worker workflow-task pollers (default: ${DEFAULT-VALUE}).")
  int workflowPollers;

  BenchOptions(int defaultTimeoutSeconds) {
    this.timeoutSeconds = defaultTimeoutSeconds;
  }
}
