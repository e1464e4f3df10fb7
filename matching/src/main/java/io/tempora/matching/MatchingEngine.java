package io.tempora.matching;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tempora.common.rpc.AddTaskRequest;
import io.tempora.common.rpc.HistoryService;
import io.tempora.common.rpc.MatchingService;
import io.tempora.persistence.TaskStore;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The matching role: task queues with long polls and sync match. A poller that gets a task asks history to
 * record it as started before answering; stale tasks (already started, completed or timed out) are dropped.
 */
public final class MatchingEngine implements MatchingService {
    private static final Logger log = LoggerFactory.getLogger(MatchingEngine.class);
    /** A sticky queue with no poll for this long has lost its worker: its tasks go to the normal queue. */
    private static final long STICKY_POLLER_GRACE_MS = 10_000;

    private final TaskStore store;
    private final HistoryService history;
    private final ConcurrentMap<TaskStore.QueueKey, TaskQueuePartition> partitions = new ConcurrentHashMap<>();

    public MatchingEngine(TaskStore store, HistoryService history) {
        this.store = store;
        this.history = history;
    }

    private TaskQueuePartition partition(String namespaceId, String name, TaskQueueType type) {
        return partitions.computeIfAbsent(new TaskStore.QueueKey(namespaceId, name, type.getNumber()),
                k -> new TaskQueuePartition(store, k));
    }

    @Override
    public void addTask(AddTaskRequest request) throws StickyWorkerUnavailableException {
        TaskQueueType type = request.activity() ? TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY : TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW;
        TaskQueuePartition p = partition(request.namespaceId(), request.taskQueue(), type);
        if (request.sticky() && !p.hasRecentPoller(STICKY_POLLER_GRACE_MS)) {
            throw new StickyWorkerUnavailableException(request.taskQueue());
        }
        try {
            p.add(request.task());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding a task", e);
        }
    }

    @Override
    public PollWorkflowTaskQueueResponse pollWorkflowTaskQueue(String namespaceId, PollWorkflowTaskQueueRequest request, long deadlineMs) {
        TaskQueuePartition p = partition(namespaceId, request.getTaskQueue().getName(), TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
        PollWorkflowTaskQueueResponse r = poll(p, deadlineMs, d -> history.recordWorkflowTaskStarted(namespaceId, d.task(), request));
        return r != null ? r : PollWorkflowTaskQueueResponse.getDefaultInstance();
    }

    @Override
    public PollActivityTaskQueueResponse pollActivityTaskQueue(String namespaceId, PollActivityTaskQueueRequest request, long deadlineMs) {
        TaskQueuePartition p = partition(namespaceId, request.getTaskQueue().getName(), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY);
        PollActivityTaskQueueResponse r = poll(p, deadlineMs, d -> history.recordActivityTaskStarted(namespaceId, d.task(), request));
        return r != null ? r : PollActivityTaskQueueResponse.getDefaultInstance();
    }

    @Override
    public boolean hasWorkflowPoller(String namespaceId, String taskQueue) {
        // Only a loaded partition can have had a poller: asking must not load (or create) one.
        TaskQueuePartition p = partitions.get(new TaskStore.QueueKey(namespaceId, taskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW.getNumber()));
        return p != null && p.hasLivePoller(STICKY_POLLER_GRACE_MS);
    }

    @Override
    public void unloadStickyQueue(String namespaceId, String stickyTaskQueue) {
        TaskStore.QueueKey key = new TaskStore.QueueKey(namespaceId, stickyTaskQueue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW.getNumber());
        partitions.remove(key);
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
