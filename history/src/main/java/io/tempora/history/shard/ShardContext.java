package io.tempora.history.shard;

import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.ShardInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.VisibilityTask;
import io.tempora.common.proto.VisibilityTaskType;
import io.tempora.history.queues.QueueProcessor;
import io.tempora.history.queues.TaskCategory;
import io.tempora.history.workflow.MutableState;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.HistoryTask;
import io.tempora.persistence.WorkflowWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * One history shard owned by this node: its lease (range id), task id allocation, and its queues. Every
 * transition of a workflow in the shard is committed through {@link #commit}.
 */
public final class ShardContext {
    /** Task ids are allocated from a block derived from the range id, so a new lease never reuses ids. */
    private static final int RANGE_BITS = 40; // 10^12 task ids per lease: never exhausted in practice

    private final int shardId;
    private final long rangeId;
    private final ExecutionStore executions;
    private final InflightTaskIds inflight;
    private final java.util.function.Consumer<ShardContext> ownershipLost;
    private volatile boolean stopped;
    private QueueProcessor<TransferTask> transferQueue;
    private QueueProcessor<TimerTask> timerQueue;
    private QueueProcessor<VisibilityTask> visibilityQueue;

    /** {@code ownershipLost} is told when a write finds the lease taken (the range id moved on). */
    public ShardContext(int shardId, long rangeId, ExecutionStore executions, java.util.function.Consumer<ShardContext> ownershipLost) {
        this.shardId = shardId;
        this.rangeId = rangeId;
        this.executions = executions;
        this.ownershipLost = ownershipLost;
        this.inflight = new InflightTaskIds(rangeId << RANGE_BITS);
    }

    void attachQueues(QueueProcessor<TransferTask> transfer, QueueProcessor<TimerTask> timer, QueueProcessor<VisibilityTask> visibility) {
        this.transferQueue = transfer;
        this.timerQueue = timer;
        this.visibilityQueue = visibility;
    }

    List<QueueProcessor<?>> queues() {
        return List.of(transferQueue, timerQueue, visibilityQueue);
    }

    public int shardId() {
        return shardId;
    }

    public long rangeId() {
        return rangeId;
    }

    /**
     * Writes the transition atomically (state + events + tasks), then hands the committed tasks to the queues.
     * Returns the persisted record.
     */
    public MutableStateRecord commit(MutableState ms, WorkflowWrite.CurrentMode mode, String previousRunId) {
        Pending pending = commitAsync(ms, mode, previousRunId);
        await(pending.durable());
        return pending.record();
    }

    /** A transition handed to the writer: the record it will persist, and when it is durable. */
    public record Pending(MutableStateRecord record, java.util.concurrent.CompletableFuture<Void> durable) {}

    /** Waits (bounded) for a commit, rethrowing its failure as it was thrown by the store. */
    public static void await(java.util.concurrent.CompletableFuture<Void> durable) {
        io.tempora.persistence.TransactionRunner.await(durable);
    }

    /**
     * Submits the transition (state + events + tasks) to the group-committing writer without waiting. The
     * caller may release the workflow's lock and wait afterwards, so later transitions of the same workflow can
     * join the same commit. Committed tasks reach the queues only once durable.
     */
    public Pending commitAsync(MutableState ms, WorkflowWrite.CurrentMode mode, String previousRunId) {
        return commitAsync(ms, mode, previousRunId, record -> { });
    }

    /**
     * As above; {@code whenDurable} is given the persisted record once it is durable and before its tasks reach the
     * queues, so that an executor of those tasks reads the state they came from.
     */
    public Pending commitAsync(MutableState ms, WorkflowWrite.CurrentMode mode, String previousRunId,
                               java.util.function.Consumer<MutableStateRecord> whenDurable) {
        MutableState next = ms.continuedRun();
        int taskCount = taskCount(ms) + (next == null ? 0 : taskCount(next));
        long earliestTimer = Math.min(clampTimers(ms), next == null ? Long.MAX_VALUE : clampTimers(next));
        long firstTaskId = inflight.allocate(taskCount, earliestTimer == Long.MAX_VALUE ? 0 : earliestTimer);
        long[] id = {firstTaskId};
        List<QueueProcessor.Item<TransferTask>> transfer = new ArrayList<>();
        List<QueueProcessor.Item<TimerTask>> timers = new ArrayList<>();
        List<QueueProcessor.Item<VisibilityTask>> visibility = new ArrayList<>();
        WorkflowWrite write = toWrite(ms, mode, previousRunId, id, transfer, timers, visibility);
        MutableStateRecord record = write.state();
        if (next != null) {
            write = write.withNewRun(toWrite(next, WorkflowWrite.CurrentMode.REPLACE, ms.key().runId(), id,
                    transfer, timers, visibility));
        }
        java.util.concurrent.CompletableFuture<Void> durable;
        try {
            durable = executions.writeAsync(write);
        } catch (RuntimeException e) {
            inflight.release(firstTaskId);
            throw e;
        }
        java.util.concurrent.CompletableFuture<Void> done = durable.whenComplete((ok, failure) -> {
            if (failure == null) {
                whenDurable.accept(record);
                transferQueue.addCommitted(transfer);
                timerQueue.addCommitted(timers);
                visibilityQueue.addCommitted(visibility);
            } else if (unwrap(failure) instanceof io.tempora.persistence.ShardOwnershipLostException
                    || unwrap(failure) instanceof io.tempora.persistence.CommitOutcomeUnknownException) {
                // Lost, or maybe committed: its tasks may be in the database but not in the queues, which would
                // otherwise move past them. Taking the shard again reloads the queues from the database.
                ownershipLost.accept(this);
            }
            inflight.release(firstTaskId);
        });
        return new Pending(record, done);
    }

    /** Moves the transition's timers to at least the timer ack level; returns the earliest (MAX_VALUE for none). */
    private long clampTimers(MutableState ms) {
        long earliest = Long.MAX_VALUE;
        for (TimerTask.Builder t : ms.newTimerTasks()) {
            t.setFireTimeMs(timerQueue.earliestFireTime(t.getFireTimeMs()));
            earliest = Math.min(earliest, t.getFireTimeMs());
        }
        return earliest;
    }

    /** The smallest key of the category's tasks whose commit is in flight, or null. */
    HistoryTask.Key inflightKey(TaskCategory category) {
        if (category.scheduled()) {
            long fire = inflight.earliestFireTime();
            return fire == 0 ? null : new HistoryTask.Key(fire, Long.MIN_VALUE);
        }
        long id = inflight.minimum();
        return id == 0 ? null : new HistoryTask.Key(0, id);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }


    /** The transition's outbox tasks: its transfer and timer tasks, and one visibility task if it changes what visibility shows. */
    private static int taskCount(MutableState ms) {
        return ms.newTransferTasks().size() + ms.newTimerTasks().size() + (ms.changesVisibility() ? 1 : 0);
    }

    private WorkflowWrite toWrite(MutableState ms, WorkflowWrite.CurrentMode mode, String previousRunId,
                                  long[] nextId, List<QueueProcessor.Item<TransferTask>> allTransfer,
                                  List<QueueProcessor.Item<TimerTask>> allTimers, List<QueueProcessor.Item<VisibilityTask>> allVisibility) {
        List<HistoryTask> rows = new ArrayList<>();
        for (TransferTask.Builder b : ms.newTransferTasks()) {
            TransferTask t = b.setTaskId(nextId[0]++).build();
            HistoryTask row = new HistoryTask(TaskCategory.TRANSFER.id(), 0, t.getTaskId(), t.toByteArray());
            rows.add(row);
            allTransfer.add(new QueueProcessor.Item<>(row.key(), t));
        }
        for (TimerTask.Builder b : ms.newTimerTasks()) {
            TimerTask t = b.setTaskId(nextId[0]++).build();
            HistoryTask row = new HistoryTask(TaskCategory.TIMER.id(), t.getFireTimeMs(), t.getTaskId(), t.toByteArray());
            rows.add(row);
            allTimers.add(new QueueProcessor.Item<>(row.key(), t));
        }
        if (ms.changesVisibility()) {
            VisibilityTask t = visibilityTask(ms.key().namespaceId(), ms.key().workflowId(), ms.key().runId(),
                    VisibilityTaskType.VISIBILITY_TASK_TYPE_UPSERT, nextId[0]++);
            HistoryTask row = new HistoryTask(TaskCategory.VISIBILITY.id(), 0, t.getTaskId(), t.toByteArray());
            rows.add(row);
            allVisibility.add(new QueueProcessor.Item<>(row.key(), t));
            ms.recordVisibilityTask(t.getTaskId());
        }
        MutableStateRecord record = ms.toRecord();
        return new WorkflowWrite(shardId, rangeId, record, ms.loadedDbVersion(), List.copyOf(ms.newEvents()), rows,
                mode, previousRunId, null);
    }

    /** The ack level of every queue, to persist (and trim below). */
    ShardInfo currentAckLevels() {
        ShardInfo.Builder info = ShardInfo.newBuilder();
        for (QueueProcessor<?> q : queues()) {
            HistoryTask.Key level = q.computeAckLevel();
            info.putQueueAckLevels(q.category().id(), io.tempora.common.proto.QueueAckLevel.newBuilder()
                    .setFireTimeMs(level.fireTimeMs()).setTaskId(level.taskId()).build());
        }
        return info.build();
    }

    private static VisibilityTask visibilityTask(String namespaceId, String workflowId, String runId, VisibilityTaskType type, long taskId) {
        return VisibilityTask.newBuilder().setTaskId(taskId).setType(type)
                .setNamespaceId(namespaceId).setWorkflowId(workflowId).setRunId(runId).build();
    }

    /**
     * Deletes a run for good (state, history, current row) and, in the same transaction, commits the visibility task
     * that removes its record.
     */
    public void deleteRun(String namespaceId, String workflowId, String runId) {
        long taskId = inflight.allocate(1, 0);
        VisibilityTask t = visibilityTask(namespaceId, workflowId, runId, VisibilityTaskType.VISIBILITY_TASK_TYPE_DELETE, taskId);
        HistoryTask row = new HistoryTask(TaskCategory.VISIBILITY.id(), 0, taskId, t.toByteArray());
        try {
            executions.delete(shardId, rangeId, namespaceId, workflowId, runId, List.of(row));
            visibilityQueue.addCommitted(List.of(new QueueProcessor.Item<>(row.key(), t)));
        } catch (io.tempora.persistence.ShardOwnershipLostException e) {
            ownershipLost.accept(this);
            throw e;
        } finally {
            inflight.release(taskId);
        }
    }

    void start() {
        for (QueueProcessor<?> q : queues()) {
            q.start();
        }
    }

    void stop() {
        stopped = true;
        for (QueueProcessor<?> q : queues()) {
            q.stop();
        }
    }

    /** Stopped to be replaced; still in place when acquiring the shard again failed. */
    boolean stopped() {
        return stopped;
    }
}
