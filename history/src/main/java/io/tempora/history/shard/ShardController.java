package io.tempora.history.shard;

import io.tempora.common.proto.ShardInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TransferTask;
import io.tempora.history.queues.TaskExecutor;
import io.tempora.history.queues.TimerQueueProcessor;
import io.tempora.history.queues.TransferQueueProcessor;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.QueueTaskStore;
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
 * Owns the history shards of this node (all of them, single node): acquires each lease, recovers its queues
 * from the persisted ack levels, and periodically persists ack levels and trims processed tasks.
 */
public final class ShardController implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ShardController.class);

    private final int numShards;
    private final ShardStore shardStore;
    private final QueueTaskStore queueTasks;
    private final ExecutionStore executions;
    private final java.util.concurrent.atomic.AtomicReferenceArray<ShardContext> shards;
    private TaskExecutor<TransferTask> transferExecutor;
    private TaskExecutor<TimerTask> timerExecutor;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tempora-shard-maintenance");
        t.setDaemon(true);
        return t;
    });

    public ShardController(int numShards, ShardStore shardStore, QueueTaskStore queueTasks, ExecutionStore executions) {
        this.numShards = numShards;
        this.shards = new java.util.concurrent.atomic.AtomicReferenceArray<>(numShards);
        this.shardStore = shardStore;
        this.queueTasks = queueTasks;
        this.executions = executions;
    }

    /** Acquires every shard and starts its queues with the given executors. */
    public void start(TaskExecutor<TransferTask> transferExecutor, TaskExecutor<TimerTask> timerExecutor) {
        this.transferExecutor = transferExecutor;
        this.timerExecutor = timerExecutor;
        List<ShardInfo> infos = new ArrayList<>();
        for (int id = 1; id <= numShards; id++) {
            ShardStore.Lease lease = shardStore.acquire(id);
            infos.add(lease.info());
            shards.set(id - 1, attach(lease));
        }
        // Recovery after all shards are attached: executors may touch any shard.
        for (int id = 1; id <= numShards; id++) {
            recover(shards.get(id - 1), infos.get(id - 1));
        }
        scheduler.scheduleWithFixedDelay(this::persistAckLevels, 1, 1, TimeUnit.SECONDS);
    }

    private ShardContext attach(ShardStore.Lease lease) {
        // Told from the writer's completion: taking the lease back writes, so it must happen on another thread.
        ShardContext shard = new ShardContext(lease.shardId(), lease.rangeId(), executions,
                stale -> workers.execute(() -> ownershipLost(stale)));
        ShardInfo info = lease.info();
        TransferQueueProcessor transfer = new TransferQueueProcessor(lease.shardId(), info.getTransferAckLevel(), transferExecutor, workers,
                scheduler, shard::minInflightTaskId);
        TimerQueueProcessor timer = new TimerQueueProcessor(lease.shardId(), info.getTimerAckLevelMs(), timerExecutor, workers, scheduler,
                System::currentTimeMillis, shard::earliestInflightFireTime);
        shard.attachQueues(transfer, timer);
        return shard;
    }

    private void recover(ShardContext shard, ShardInfo info) {
        List<TransferTask> transfer = queueTasks.readTransferTasks(shard.shardId(), info.getTransferAckLevel());
        List<TimerTask> timers = queueTasks.readTimerTasks(shard.shardId(), info.getTimerAckLevelMs());
        if (!transfer.isEmpty() || !timers.isEmpty()) {
            log.info("shard {} recovering {} transfer and {} timer tasks", shard.shardId(), transfer.size(), timers.size());
        }
        shard.recover(transfer, timers);
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
        log.warn("shard {} lease (range id {}) was taken by another owner: acquiring it again", stale.shardId(), stale.rangeId());
        stale.stop();
        ShardStore.Lease lease = shardStore.acquire(stale.shardId());
        ShardContext shard = attach(lease);
        shards.set(index, shard);
        recover(shard, lease.info());
        log.info("shard {} acquired again with range id {}", lease.shardId(), lease.rangeId());
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
            try {
                ShardInfo info = shard.currentAckLevels();
                shardStore.updateInfo(shard.shardId(), shard.rangeId(), info);
                queueTasks.trim(shard.shardId(), info.getTransferAckLevel(), info.getTimerAckLevelMs());
            } catch (io.tempora.persistence.ShardOwnershipLostException e) {
                ownershipLost(shard);
            } catch (RuntimeException e) {
                log.warn("persisting ack levels of shard {} failed", shard.shardId(), e);
            }
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
