package io.tempora.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The life of one bench run up to its report, the same for every bench: the overall deadline and the watchdog
 * behind it, a run id, the connection with the in-process worker on it, and the bounded shutdown before the
 * report is printed.
 */
final class BenchRun {

  /**
   * How long past --timeout-seconds anything the run leaves behind may live: the JVM (see {@link Watchdog}) and
   * the workflows it started, which a failed run can leave waiting forever (for signals, for children).
   */
  private static final long GRACE_SECONDS = 60;

  private final BenchOptions options;
  private final long deadlineNanos;
  private final String runId;
  private final String taskQueue;
  private WorkflowServiceStubs service;
  private WorkflowClient client;
  private WorkerFactory factory; // null until the worker has started

  private BenchRun(BenchOptions options, String queuePrefix) {
    this.options = options;
    this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(options.timeoutSeconds);
    // Eight hex characters, unique enough to keep task queues and workflow ids of different runs apart.
    this.runId = UUID.randomUUID().toString().substring(0, 8);
    this.taskQueue = options.taskQueue != null ? options.taskQueue : queuePrefix + runId;
  }

  /**
   * Starts the clock and arms the watchdog; call it right after validating the options, since --timeout-seconds
   * bounds everything from here on. The task queue is {@code queuePrefix} + run id unless --task-queue is given.
   */
  static BenchRun begin(BenchOptions options, String queuePrefix) {
    return begin(options, queuePrefix, 1);
  }

  /**
   * As above for a bench that makes {@code runs} runs one after the other (each bounded by --timeout-seconds): the
   * one watchdog allows for all of them. The later runs start with {@link #next}.
   */
  static BenchRun begin(BenchOptions options, String queuePrefix, int runs) {
    BenchRun run = new BenchRun(options, queuePrefix);
    Watchdog.arm((long) runs * options.timeoutSeconds + GRACE_SECONDS);
    return run;
  }

  /** A further run of a bench begun with {@code runs} > 1: its own deadline and run id, no new watchdog. */
  static BenchRun next(BenchOptions options, String queuePrefix) {
    return new BenchRun(options, queuePrefix);
  }

  String target() {
    return options.target;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  String runId() {
    return runId;
  }

  String taskQueue() {
    return taskQueue;
  }

  /** Valid once {@link #startWorker} was called, whether or not the worker started. */
  WorkflowClient client() {
    return client;
  }

  /** Execution timeout for the workflows the bench starts: only a safety net for those a failed run leaves. */
  Duration workflowTimeout() {
    return Duration.ofSeconds(options.timeoutSeconds + GRACE_SECONDS);
  }

  /**
   * Connects and starts the worker with {@code start}. Returns false, with the reason on stderr, if the worker
   * cannot start: its start makes the first real RPCs (system info, namespace check), so this is where a dead or
   * incompatible server shows up. Either way the caller still reports, and calls {@link #shutdown} first.
   */
  boolean startWorker(Function<WorkflowClient, WorkerFactory> start) {
    // One channel for everything: the worker's long polls and the drivers' RPCs share it, like a typical app.
    service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(options.target).build());
    client =
        WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(options.namespace).build());
    try {
      factory = start.apply(client);
      return true;
    } catch (RuntimeException e) {
      System.err.println("error: cannot start a worker against " + options.target + ": " + e);
      return false;
    }
  }

  /**
   * Bounded, best-effort shutdown of the worker and the connection: the numbers are already taken, so never let
   * a slow server delay the report.
   */
  void shutdown() {
    try {
      if (factory != null) {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
      }
      if (service != null) {
        service.shutdownNow();
        service.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (RuntimeException e) {
      System.err.println("warning: shutdown: " + e);
    }
  }
}
