package io.tempora.history.queues;

import io.tempora.common.proto.TransferTask;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes a shard's transfer (outbox) tasks. Committed tasks are handed over in memory right after their
 * commit; on start the tasks above the persisted ack level are reloaded from the database.
 */
public final class TransferQueueProcessor {
    private static final Logger log = LoggerFactory.getLogger(TransferQueueProcessor.class);

    private final int shardId;
    private final TaskExecutor<TransferTask> executor;
    private final ExecutorService workers;
    private final ScheduledExecutorService retries;
    private final AckTracker<Long> tracker = new AckTracker<>();
    private final LongSupplier minInflightTaskId;
    private volatile long ackLevel;
    private volatile long maxCommittedTaskId;
    private volatile boolean stopped;

    public TransferQueueProcessor(int shardId, long ackLevel, TaskExecutor<TransferTask> executor, ExecutorService workers,
                                  ScheduledExecutorService retries, LongSupplier minInflightTaskId) {
        this.shardId = shardId;
        this.ackLevel = ackLevel;
        this.maxCommittedTaskId = ackLevel;
        this.executor = executor;
        this.workers = workers;
        this.retries = retries;
        this.minInflightTaskId = minInflightTaskId;
    }

    public void addCommitted(List<TransferTask> tasks) {
        for (TransferTask t : tasks) {
            tracker.add(t.getTaskId());
            synchronized (this) {
                maxCommittedTaskId = Math.max(maxCommittedTaskId, t.getTaskId());
            }
            submit(t, 0);
        }
    }

    private void submit(TransferTask task, int attempt) {
        if (stopped) {
            return;
        }
        workers.execute(() -> run(task, attempt));
    }

    private void run(TransferTask task, int attempt) {
        try {
            executor.execute(task);
            tracker.done(task.getTaskId());
        } catch (Exception e) {
            if (stopped) {
                return;
            }
            long delay = Math.min(10_000, 100L << Math.min(attempt, 7));
            if (attempt > 3) {
                log.warn("shard {} transfer task {} failed (attempt {}), retrying in {} ms", shardId, task.getTaskId(), attempt, delay, e);
            }
            retries.schedule(() -> submit(task, attempt + 1), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** The new ack level: below the first pending task and below any task id still being committed. */
    public long computeAckLevel() {
        // Order matters: in-flight ids first, then the committed maximum, then the tracker. A commit that
        // completes meanwhile is then either still in flight or already in the tracker.
        long inflight = minInflightTaskId.getAsLong();
        long maxCommitted = maxCommittedTaskId;
        Long lastDone = tracker.advance();
        Long pending = tracker.firstPending();
        long level = pending != null ? pending - 1 : Math.max(maxCommitted, lastDone == null ? ackLevel : lastDone);
        if (inflight > 0) {
            level = Math.min(level, inflight - 1);
        }
        if (level > ackLevel) {
            ackLevel = level;
        }
        return ackLevel;
    }

    public void stop() {
        stopped = true;
    }
}
