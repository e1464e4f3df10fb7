package io.tempora.matching;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tempora.common.ServiceErrors;
import io.tempora.common.rpc.AddTaskRequest;
import io.tempora.common.rpc.TaskRecorder;
import io.tempora.common.rpc.MatchingService;
import io.tempora.persistence.TaskStore;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matching role: task queues with long polls and sync match. A poller that gets a task asks history to
 * record it as started before answering; stale tasks (already started, completed or timed out) are dropped.
 * Memory is bounded by {@link MatchingConfig}: idle partitions are unloaded and each holds one backlog page.
 */
public final class MatchingEngine implements MatchingService {
    private static final Logger log = LoggerFactory.getLogger(MatchingEngine.class);
    /** A sticky queue with no poll for this long has lost its worker: its tasks go to the normal queue. */
    private static final long STICKY_POLLER_GRACE_MS = 10_000;
    /** An add retries this often on a fresh partition when the one it found was unloaded meanwhile. */
    private static final int MAX_ADD_ATTEMPTS = 3;

    private final TaskRecorder history;
    private final TaskStore store;
    private final LoadedPartitions partitions;

    public MatchingEngine(TaskStore store, TaskRecorder history) {
        this(store, history, MatchingConfig.defaults());
    }

    public MatchingEngine(TaskStore store, TaskRecorder history, MatchingConfig config) {
        this(store, history, config, System::currentTimeMillis);
    }

    /** {@code clock} tells idle time only (tests move it); waits use the real time. */
    MatchingEngine(TaskStore store, TaskRecorder history, MatchingConfig config, LongSupplier clock) {
        this.history = history;
        this.store = store;
        this.partitions = new LoadedPartitions((key, now) -> new TaskQueuePartition(store, key, config, now),
                config.maxTaskQueueIdleMs(), clock);
    }

    private static TaskStore.QueueKey key(String namespaceId, String name, TaskQueueType type) {
        return new TaskStore.QueueKey(namespaceId, name, type.getNumber());
    }

    @Override
    public void addTask(AddTaskRequest request) throws StickyWorkerUnavailableException {
        TaskQueueType type = request.activity() ? TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY : TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW;
        TaskStore.QueueKey key = key(request.namespaceId(), request.taskQueue(), type);
        for (int attempt = 0; attempt < MAX_ADD_ATTEMPTS; attempt++) {
            // Only a loaded partition can have had a poller: a dead worker's sticky queue is not loaded again.
            if (request.sticky() && !hasRecentPoller(partitions.peek(key))) {
                throw new StickyWorkerUnavailableException(request.taskQueue());
            }
            TaskQueuePartition p = partitions.acquire(key);
            try {
                if (request.sticky() && !hasRecentPoller(p)) {
                    throw new StickyWorkerUnavailableException(request.taskQueue()); // it was unloaded meanwhile
                }
                if (p.add(request.task())) {
                    return;
                }
                partitions.discard(p); // unloaded, or its lease is lost: the next attempt loads the queue anew
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while adding a task", e);
            } finally {
                partitions.release(p);
            }
        }
        throw ServiceErrors.unavailable("task queue " + request.taskQueue() + " was unloaded while adding a task, try again");
    }

    private static boolean hasRecentPoller(TaskQueuePartition p) {
        return p != null && p.hasRecentPoller(STICKY_POLLER_GRACE_MS);
    }

    @Override
    public PollWorkflowTaskQueueResponse pollWorkflowTaskQueue(String namespaceId, PollWorkflowTaskQueueRequest request, long deadlineMs) {
        Poller poller = new Poller(request.getIdentity(), io.temporal.api.taskqueue.v1.TaskQueueMetadata.getDefaultInstance(),
                request.getWorkerVersionCapabilities(), request.getDeploymentOptions());
        PollWorkflowTaskQueueResponse r = poll(key(namespaceId, request.getTaskQueue().getName(), TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
                poller, deadlineMs, d -> history.recordWorkflowTaskStarted(namespaceId, d.task(), request));
        return r != null ? r : PollWorkflowTaskQueueResponse.getDefaultInstance();
    }

    @Override
    public PollActivityTaskQueueResponse pollActivityTaskQueue(String namespaceId, PollActivityTaskQueueRequest request, long deadlineMs) {
        Poller poller = new Poller(request.getIdentity(), request.getTaskQueueMetadata(), request.getWorkerVersionCapabilities(),
                request.getDeploymentOptions());
        PollActivityTaskQueueResponse r = poll(key(namespaceId, request.getTaskQueue().getName(), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
                poller, deadlineMs, d -> history.recordActivityTaskStarted(namespaceId, d.task(), request));
        return r != null ? r : PollActivityTaskQueueResponse.getDefaultInstance();
    }

    @Override
    public boolean hasWorkflowPoller(String namespaceId, String taskQueue) {
        // Only a loaded partition can have had a poller: asking must not load (or create) one.
        TaskQueuePartition p = partitions.peek(key(namespaceId, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW));
        return p != null && p.hasLivePoller(STICKY_POLLER_GRACE_MS);
    }

    /**
     * ShutdownWorker: unloads that worker's sticky queue, and only it (as the official frontend's ForceUnload of the
     * sticky partition). Its next tasks are refused so that history uses the normal queue; its queued queries are
     * dropped (their callers fall back to the normal queue); the worker's own waiting polls get nothing more.
     */
    @Override
    public void unloadStickyQueue(String namespaceId, String stickyTaskQueue) {
        partitions.unload(key(namespaceId, stickyTaskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW));
    }

    /** Task queue partitions loaded now (each bounded by matching.getTasksBatchSize). */
    public int loadedPartitions() {
        return partitions.size();
    }

    /** Tasks a loaded partition holds in memory, -1 when it is not loaded; for tests. */
    int tasksInMemory(String namespaceId, String name, TaskQueueType type) {
        TaskQueuePartition p = partitions.peek(key(namespaceId, name, type));
        return p == null ? -1 : p.inMemory();
    }

    /** Who polls, as DescribeTaskQueue lists it. */
    private record Poller(String identity, io.temporal.api.taskqueue.v1.TaskQueueMetadata metadata,
                          io.temporal.api.common.v1.WorkerVersionCapabilities capabilities,
                          io.temporal.api.deployment.v1.WorkerDeploymentOptions deployment) {
        void recordIn(TaskQueuePartition p) {
            p.pollers().record(identity, metadata, capabilities, deployment);
        }
    }

    private <R> R poll(TaskStore.QueueKey key, Poller poller, long deadlineMs, Function<TaskQueuePartition.Delivery, R> recordStarted) {
        TaskQueuePartition p = partitions.acquire(key);
        try {
            p.pollStarted();
            poller.recordIn(p);
            return poll(p, deadlineMs, recordStarted);
        } finally {
            poller.recordIn(p); // at the end too, as the official: last access is the latest poll's
            partitions.release(p);
        }
    }

    @Override
    public io.tempora.common.rpc.TaskQueueDescription describeTaskQueue(String namespaceId, String taskQueue, TaskQueueType type) {
        TaskStore.QueueKey key = key(namespaceId, taskQueue, type);
        TaskStore.Backlog backlog = store.backlog(key);
        long ageMs = backlog.oldestCreateTimeMs() == 0 ? 0 : Math.max(0, System.currentTimeMillis() - backlog.oldestCreateTimeMs());
        // A partition not loaded has had no poller or task for a while: nothing to list, no rate.
        TaskQueuePartition p = partitions.peek(key);
        return new io.tempora.common.rpc.TaskQueueDescription(p == null ? java.util.List.of() : p.pollers().list(), backlog.count(), ageMs,
                p == null ? 0 : p.addRate(), p == null ? 0 : p.dispatchRate());
    }

    private <R> R poll(TaskQueuePartition p, long deadlineMs, Function<TaskQueuePartition.Delivery, R> recordStarted) {
        Context grpcContext = Context.current();
        CompletableFuture<Void> cancel = new CompletableFuture<>();
        Context.CancellationListener listener = c -> cancel.complete(null);
        grpcContext.addListener(listener, Runnable::run);
        try {
            while (System.currentTimeMillis() < deadlineMs && !grpcContext.isCancelled()) {
                TaskQueuePartition.Delivery d = p.poll(deadlineMs, cancel);
                if (d == null) {
                    return null;
                }
                if (grpcContext.isCancelled()) {
                    p.giveBack(d);
                    return null;
                }
                try {
                    R response = recordStarted.apply(d);
                    p.done(d);
                    p.dispatched();
                    return response;
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                        p.done(d); // stale task: drop it and keep polling
                    } else {
                        log.warn("recording task started failed, task goes back to {}", p.key().name(), e);
                        p.giveBack(d);
                        return null;
                    }
                } catch (RuntimeException e) {
                    log.warn("recording task started failed, task goes back to {}", p.key().name(), e);
                    p.giveBack(d);
                    return null;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            grpcContext.removeListener(listener);
        }
    }
}
