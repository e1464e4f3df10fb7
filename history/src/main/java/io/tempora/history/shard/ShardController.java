package io.tempora.history.shard;

import io.tempora.common.proto.ShardInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.VisibilityTask;
import io.tempora.common.proto.TransferTask;
import io.tempora.history.queues.QueueOptions;
import io.tempora.history.queues.QueueProcessor;
import io.tempora.history.queues.TaskCategory;
import io.tempora.history.queues.TaskExecutor;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.HistoryTask;
import io.tempora.persistence.HistoryTaskStore;
import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.ShardStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the history shards of this node (all of them, single node): acquires each lease, starts its queues from
 * the persisted ack levels, and periodically persists ack levels and trims processed tasks.
 */
public final class ShardController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardController.class);
    /**
     * Visibility tasks wait this long before they run: a run that closes meanwhile (most short runs) has its start's
     * task skipped and its record written once, with the closed state, instead of inserted and then updated.
     */
    static final long VISIBILITY_COALESCE_MS = 250;

    private final int numShards;
    private final ShardStore shardStore;
    private final HistoryTaskStore historyTasks;
    private final QueueOptions queueOptions;
    private final ExecutionStore executions;
    private final java.util.concurrent.atomic.AtomicReferenceArray<ShardContext> shards;
    private TaskExecutor<TransferTask> transferExecutor;
    private TaskExecutor<TimerTask> timerExecutor;
    private TaskExecutor<VisibilityTask> visibilityExecutor;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tempora-shard-maintenance");
        t.setDaemon(true);
        return t;
    });

    public ShardController(int numShards, ShardStore shardStore, HistoryTaskStore historyTasks, ExecutionStore executions,
                           QueueOptions queueOptions) {
        this.numShards = numShards;
        this.shards = new java.util.concurrent.atomic.AtomicReferenceArray<>(numShards);
        this.shardStore = shardStore;
        this.historyTasks = historyTasks;
        this.executions = executions;
        this.queueOptions = queueOptions;
    }

    /** Acquires every shard and starts its queues with the given executors. */
    public void start(TaskExecutor<TransferTask> transferExecutor, TaskExecutor<TimerTask> timerExecutor,
                      TaskExecutor<VisibilityTask> visibilityExecutor) {
        this.transferExecutor = transferExecutor;
        this.timerExecutor = timerExecutor;
        this.visibilityExecutor = visibilityExecutor;
        for (int id = 1; id <= numShards; id++) {
            shards.set(id - 1, attach(shardStore.acquire(id)));
        }
        // Queues start once every shard is attached: executors may touch any shard.
        for (int id = 1; id <= numShards; id++) {
            shards.get(id - 1).start();
        }
        scheduler.scheduleWithFixedDelay(this::persistAckLevels, 1, 1, TimeUnit.SECONDS);
    }

    private ShardContext attach(ShardStore.Lease lease) {
        // Told from the writer's completion: taking the lease back writes, so it must happen on another thread.
        ShardContext shard = new ShardContext(lease.shardId(), lease.rangeId(), executions,
                stale -> workers.execute(() -> reacquire(stale)));
        shard.attachQueues(queue(shard, lease, TaskCategory.TRANSFER, TransferTask::parseFrom, transferExecutor),
                queue(shard, lease, TaskCategory.TIMER, TimerTask::parseFrom, timerExecutor),
                queue(shard, lease, TaskCategory.VISIBILITY, VisibilityTask::parseFrom, visibilityExecutor));
        return shard;
    }

    private interface BodyParser<T> {
        T parse(byte[] data) throws com.google.protobuf.InvalidProtocolBufferException;
    }

    private <T extends com.google.protobuf.Message> QueueProcessor<T> queue(ShardContext shard, ShardStore.Lease lease, TaskCategory category,
                                                                            BodyParser<T> parser, TaskExecutor<T> executor) {
        int shardId = lease.shardId();
        QueueOptions options = category == TaskCategory.VISIBILITY ? queueOptions.withExecuteDelayMs(VISIBILITY_COALESCE_MS) : queueOptions;
        return new QueueProcessor<>(shardId, category, options, ackLevel(lease.info(), category),
                (from, until, limit) -> historyTasks.read(shardId, category.id(), from, until, limit),
                row -> {
                    try {
                        return parser.parse(row.data());
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new PersistenceException("corrupt " + category.name() + " task " + row.taskId(), e);
                    }
                },
                executor,
                (task, attempts, error) -> historyTasks.addDeadLetter(shardId, lease.rangeId(), task, attempts, error),
                workers, scheduler, System::currentTimeMillis, () -> shard.inflightKey(category));
    }

    /** The persisted ack level of a category; shards written before categories existed have the two old fields. */
    static HistoryTask.Key ackLevel(ShardInfo info, TaskCategory category) {
        var level = info.getQueueAckLevelsMap().get(category.id());
        if (level != null) {
            return new HistoryTask.Key(level.getFireTimeMs(), level.getTaskId());
        }
        if (category == TaskCategory.TRANSFER) {
            return new HistoryTask.Key(0, info.getTransferAckLevel() + 1);
        }
        if (category == TaskCategory.TIMER) {
            return new HistoryTask.Key(info.getTimerAckLevelMs(), Long.MIN_VALUE);
        }
        return new HistoryTask.Key(0, Long.MIN_VALUE);
    }

    /**
     * A write found the shard's lease taken by someone else: the shard is taken back with a new lease and its queues
     * restart from the persisted ack levels (what the old lease had in memory is re-read; handlers are idempotent).
     */
    private synchronized void ownershipLost(ShardContext stale) {
        int index = stale.shardId() - 1;
        if (shards.get(index) != stale || closed) {
            return; // already taken back
        }
        log.warn("shard {} (range id {}) lost its lease or the outcome of a commit: acquiring it again", stale.shardId(), stale.rangeId());
        stale.stop();
        ShardStore.Lease lease = shardStore.acquire(stale.shardId());
        ShardContext shard = attach(lease);
        shards.set(index, shard);
        shard.start();
        log.info("shard {} acquired again with range id {}", lease.shardId(), lease.rangeId());
    }

    /** Runs a dead-lettered task again with its category's executor; on success it leaves the dead-letter queue. */
    public void rerun(HistoryTaskStore.DeadLetter letter) throws Exception {
        HistoryTask task = letter.task();
        TaskCategory category = TaskCategory.byId(task.categoryId());
        if (category == TaskCategory.TRANSFER) {
            transferExecutor.execute(TransferTask.parseFrom(task.data()));
        } else if (category == TaskCategory.TIMER) {
            timerExecutor.execute(TimerTask.parseFrom(task.data()));
        } else {
            visibilityExecutor.execute(VisibilityTask.parseFrom(task.data()));
        }
        historyTasks.deleteDeadLetter(letter.shardId(), task);
    }

    public HistoryTaskStore historyTasks() {
        return historyTasks;
    }

    /** Tasks held in memory by the category's queues of every shard. */
    public long loadedTasks(TaskCategory category) {
        long n = 0;
        for (int i = 0; i < numShards; i++) {
            ShardContext shard = shards.get(i);
            if (shard != null) {
                for (QueueProcessor<?> q : shard.queues()) {
                    if (q.category() == category) {
                        n += q.loadedCount();
                    }
                }
            }
        }
        return n;
    }

    public ShardContext shardFor(String namespaceId, String workflowId) {
        return shards.get(shardIndex(namespaceId, workflowId, numShards));
    }

    public ShardContext shard(int shardId) {
        return shards.get(shardId - 1);
    }

    public int numShards() {
        return numShards;
    }

    /** Stable hash of namespace and workflow id: the same workflow always lands on the same shard. */
    static int shardIndex(String namespaceId, String workflowId, int numShards) {
        CRC32 crc = new CRC32();
        crc.update((namespaceId + "_" + workflowId).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % numShards);
    }

    private void persistAckLevels() {
        for (int i = 0; i < numShards; i++) {
            ShardContext shard = shards.get(i);
            if (shard.stopped()) {
                reacquire(shard); // acquiring it again failed before (the database was away): try again
                continue;
            }
            try {
                shardStore.saveProgress(shard.shardId(), shard.rangeId(), shard.currentAckLevels());
            } catch (io.tempora.persistence.ShardOwnershipLostException e) {
                reacquire(shard);
            } catch (RuntimeException e) {
                log.warn("persisting ack levels of shard {} failed", shard.shardId(), e);
            }
        }
    }

    /** A failed re-acquire must not escape: it would end the periodic job that saves every shard's ack levels. */
    private void reacquire(ShardContext stale) {
        try {
            ownershipLost(stale);
        } catch (RuntimeException e) {
            log.warn("acquiring shard {} again failed, trying again at the next ack level save", stale.shardId(), e);
        }
    }

    private volatile boolean closed;

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        for (int i = 0; i < numShards; i++) {
            ShardContext shard = shards.get(i);
            if (shard != null) {
                shard.stop();
            }
        }
        workers.shutdownNow();
    }
}
