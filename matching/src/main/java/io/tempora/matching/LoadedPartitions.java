package io.tempora.matching;

import io.tempora.persistence.TaskStore;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The partitions in memory. A partition is loaded by its first add or poll and unloaded once nobody used it for
 * {@code maxTaskQueueIdleTime} (the official taskQueuePartitionManager's liveness), so memory follows the queues
 * in use, not every queue ever used: above all, the sticky queues of workers that died.
 *
 * <p>Users hold a partition between {@link #acquire} and {@link #release}; it is never unloaded as idle while
 * held (a long poll keeps it loaded). Idle partitions are swept by the callers themselves, at most every half idle
 * time, so there is no thread to start or stop. Loading and unloading a key run inside the map's per-key
 * {@code compute}, so no caller gets a partition that is being unloaded as idle.
 */
final class LoadedPartitions {
    interface Loader {
        TaskQueuePartition load(TaskStore.QueueKey key, long nowMs);
    }

    private final ConcurrentMap<TaskStore.QueueKey, TaskQueuePartition> loaded = new ConcurrentHashMap<>();
    private final Loader loader;
    private final long maxIdleMs;
    private final LongSupplier clock;
    private final AtomicLong nextSweepMs;

    LoadedPartitions(Loader loader, long maxIdleMs, LongSupplier clock) {
        this.loader = loader;
        this.maxIdleMs = maxIdleMs;
        this.clock = clock;
        this.nextSweepMs = new AtomicLong(clock.getAsLong() + sweepIntervalMs());
    }

    /** The key's partition, loaded if need be; the caller must {@link #release} it. */
    TaskQueuePartition acquire(TaskStore.QueueKey key) {
        long now = clock.getAsLong();
        sweepIfDue(now);
        return loaded.compute(key, (k, p) -> {
            TaskQueuePartition q = p != null ? p : loader.load(k, now);
            q.acquire(now);
            return q;
        });
    }

    void release(TaskQueuePartition p) {
        p.release(clock.getAsLong());
    }

    /** The key's partition if it is loaded; asking never loads one. */
    TaskQueuePartition peek(TaskStore.QueueKey key) {
        return loaded.get(key);
    }

    /** Unloads the key's partition now, in use or not (its worker said it is shutting down). */
    void unload(TaskStore.QueueKey key) {
        loaded.computeIfPresent(key, (k, p) -> {
            p.unload();
            return null;
        });
    }

    /** Unloads this very partition if it is still the loaded one (it found its lease lost, or was unloaded). */
    void discard(TaskQueuePartition p) {
        loaded.computeIfPresent(p.key(), (k, q) -> {
            if (q != p) {
                return q;
            }
            q.unload();
            return null;
        });
    }

    int size() {
        return loaded.size();
    }

    private void sweepIfDue(long now) {
        long due = nextSweepMs.get();
        if (now < due || !nextSweepMs.compareAndSet(due, now + sweepIntervalMs())) {
            return; // not yet, or another caller sweeps
        }
        for (TaskStore.QueueKey key : loaded.keySet()) {
            loaded.computeIfPresent(key, (k, p) -> p.unloadIfIdle(now, maxIdleMs) ? null : p);
        }
    }

    private long sweepIntervalMs() {
        return Math.max(1, maxIdleMs / 2);
    }
}
