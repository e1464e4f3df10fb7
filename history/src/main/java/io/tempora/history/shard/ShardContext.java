package io.tempora.history.shard;

import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.ShardInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TransferTask;
import io.tempora.history.queues.TimerQueueProcessor;
import io.tempora.history.queues.TransferQueueProcessor;
import io.tempora.history.workflow.MutableState;
import io.tempora.persistence.ExecutionStore;
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
    private TransferQueueProcessor transferQueue;
    private TimerQueueProcessor timerQueue;

    /** {@code ownershipLost} is told when a write finds the lease taken (the range id moved on). */
    public ShardContext(int shardId, long rangeId, ExecutionStore executions, java.util.function.Consumer<ShardContext> ownershipLost) {
        this.shardId = shardId;
        this.rangeId = rangeId;
        this.executions = executions;
        this.ownershipLost = ownershipLost;
        this.inflight = new InflightTaskIds(rangeId << RANGE_BITS);
    }

    void attachQueues(TransferQueueProcessor transfer, TimerQueueProcessor timer) {
        this.transferQueue = transfer;
        this.timerQueue = timer;
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
        int taskCount = ms.newTransferTasks().size() + ms.newTimerTasks().size()
                + (next == null ? 0 : next.newTransferTasks().size() + next.newTimerTasks().size());
        long earliestTimer = Math.min(clampTimers(ms), next == null ? Long.MAX_VALUE : clampTimers(next));
        long firstTaskId = inflight.allocate(taskCount, earliestTimer == Long.MAX_VALUE ? 0 : earliestTimer);
        long[] id = {firstTaskId};
        List<TransferTask> transfer = new ArrayList<>();
        List<TimerTask> timers = new ArrayList<>();
        MutableStateRecord record = ms.toRecord();
        WorkflowWrite write = toWrite(ms, record, mode, previousRunId, id, transfer, timers);
        if (next != null) {
            write = write.withNewRun(toWrite(next, next.toRecord(), WorkflowWrite.CurrentMode.REPLACE, ms.key().runId(), id, transfer, timers));
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
            } else if (unwrap(failure) instanceof io.tempora.persistence.ShardOwnershipLostException) {
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

    long earliestInflightFireTime() {
        return inflight.earliestFireTime();
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
    }


    private WorkflowWrite toWrite(MutableState ms, MutableStateRecord record, WorkflowWrite.CurrentMode mode, String previousRunId,
                                  long[] nextId, List<TransferTask> allTransfer, List<TimerTask> allTimers) {
        List<TransferTask> transfer = new ArrayList<>();
        for (TransferTask.Builder t : ms.newTransferTasks()) {
            transfer.add(t.setTaskId(nextId[0]++).build());
        }
        List<TimerTask> timers = new ArrayList<>();
        for (TimerTask.Builder t : ms.newTimerTasks()) {
            timers.add(t.setTaskId(nextId[0]++).build());
        }
        allTransfer.addAll(transfer);
        allTimers.addAll(timers);
        return new WorkflowWrite(shardId, rangeId, record, ms.loadedDbVersion(), List.copyOf(ms.newEvents()), transfer, timers,
                mode, previousRunId, null);
    }

    void recover(List<TransferTask> transfer, List<TimerTask> timers) {
        long maxId = transfer.stream().mapToLong(TransferTask::getTaskId).max().orElse(0);
        maxId = Math.max(maxId, timers.stream().mapToLong(TimerTask::getTaskId).max().orElse(0));
        if (maxId >= inflight.nextId()) {
            throw new IllegalStateException("shard " + shardId + " has task ids beyond its range");
        }
        transferQueue.addCommitted(transfer);
        timerQueue.addCommitted(timers);
    }

    long minInflightTaskId() {
        return inflight.minimum();
    }

    ShardInfo currentAckLevels() {
        return ShardInfo.newBuilder()
                .setTransferAckLevel(transferQueue.computeAckLevel())
                .setTimerAckLevelMs(timerQueue.computeAckLevel())
                .build();
    }

    void stop() {
        transferQueue.stop();
        timerQueue.stop();
    }
}
