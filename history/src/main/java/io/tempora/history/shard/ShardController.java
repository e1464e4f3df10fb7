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
    private final List<ShardContext> shards = new ArrayList<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tempora-shard-maintenance");
        t.setDaemon(true);
        return t;
    });

    public ShardController(int numShards, ShardStore shardStore, QueueTaskStore queueTasks, ExecutionStore executions) {
        this.numShards = numShards;
        this.shardStore = shardStore;
        this.queueTasks = queueTasks;
        this.executions = executions;
    }

    /** Acquires every shard and starts its queues with the given executors. */
    public void start(TaskExecutor<TransferTask> transferExecutor, TaskExecutor<TimerTask> timerExecutor) {
        List<ShardInfo> infos = new ArrayList<>();
        for (int id = 1; id <= numShards; id++) {
            ShardStore.Lease lease = shardStore.acquire(id);
            infos.add(lease.info());
            ShardContext shard = new ShardContext(id, lease.rangeId(), executions);
            ShardInfo info = lease.info();
            TransferQueueProcessor transfer = new TransferQueueProcessor(id, info.getTransferAckLevel(), transferExecutor, workers,
                    scheduler, shard::minInflightTaskId);
            TimerQueueProcessor timer = new TimerQueueProcessor(id, info.getTimerAckLevelMs(), timerExecutor, workers, scheduler);
            shard.attachQueues(transfer, timer);
            shards.add(shard);
        }
        // Recovery after all shards are attached: executors may touch any shard.
        for (ShardContext shard : shards) {
            ShardInfo info = infos.get(shard.shardId() - 1);
            List<TransferTask> transfer = queueTasks.readTransferTasks(shard.shardId(), info.getTransferAckLevel());
            List<TimerTask> timers = queueTasks.readTimerTasks(shard.shardId(), info.getTimerAckLevelMs());
            if (!transfer.isEmpty() || !timers.isEmpty()) {
                log.info("shard {} recovering {} transfer and {} timer tasks", shard.shardId(), transfer.size(), timers.size());
            }
            shard.recover(transfer, timers);
        }
        scheduler.scheduleWithFixedDelay(this::persistAckLevels, 1, 1, TimeUnit.SECONDS);
    }

    public ShardContext shardFor(String namespaceId, String workflowId) {
        return shards.get(shardIndex(namespaceId, workflowId, numShards));
    }

    public ShardContext shard(int shardId) {
        return shards.get(shardId - 1);
    }

    /** Stable hash of namespace and workflow id: the same workflow always lands on the same shard. */
    static int shardIndex(String namespaceId, String workflowId, int numShards) {
        CRC32 crc = new CRC32();
        crc.update((namespaceId + "_" + workflowId).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % numShards);
    }

    private void persistAckLevels() {
        for (ShardContext shard : shards) {
            try {
                ShardInfo info = shard.currentAckLevels();
                shardStore.updateInfo(shard.shardId(), shard.rangeId(), info);
                queueTasks.trim(shard.shardId(), info.getTransferAckLevel(), info.getTimerAckLevelMs());
            } catch (RuntimeException e) {
                log.warn("persisting ack levels of shard {} failed", shard.shardId(), e);
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        shards.forEach(ShardContext::stop);
        workers.shutdownNow();
    }
}
