package io.tempora.history.shard;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A shard's transitions that are allocated task ids but not yet committed (or failed): the lowest task id and the
 * earliest timer among them. The queues' ack levels must stay below both, since such a commit may still add tasks
 * there.
 */
final class InflightTaskIds {
    private record Block(long firstId, long earliestFireTime) {}

    private final AtomicLong next;
    private final ConcurrentSkipListMap<Long, Block> byId = new ConcurrentSkipListMap<>();
    /** Blocks with timers, by (fire time, first id). */
    private final ConcurrentSkipListMap<Block, Boolean> byFireTime = new ConcurrentSkipListMap<>(
            java.util.Comparator.comparingLong(Block::earliestFireTime).thenComparingLong(Block::firstId));

    InflightTaskIds(long firstId) {
        this.next = new AtomicLong(firstId);
    }

    /** {@link #allocate(int, long)} for a transition without timers. */
    long allocate(int count) {
        return allocate(count, 0);
    }

    /**
     * Allocates {@code count} consecutive ids and marks the block in flight in one step; returns the first (0 for
     * none). {@code earliestFireTime} is the earliest timer the block commits (0 for none).
     */
    synchronized long allocate(int count, long earliestFireTime) {
        if (count == 0) {
            return 0;
        }
        Block block = new Block(next.getAndAdd(count), earliestFireTime);
        byId.put(block.firstId(), block);
        if (earliestFireTime > 0) {
            byFireTime.put(block, Boolean.TRUE);
        }
        return block.firstId();
    }

    /** The block starting at {@code first} is committed or failed. */
    void release(long first) {
        Block block = first > 0 ? byId.remove(first) : null;
        if (block != null && block.earliestFireTime() > 0) {
            byFireTime.remove(block);
        }
    }

    /**
     * The lowest id in flight, or 0 when nothing is. Synchronized with {@link #allocate} so that no block can be
     * allocated below a minimum just read; a release may run at any time (the lookups never throw when empty).
     */
    synchronized long minimum() {
        Long first = byId.isEmpty() ? null : byId.ceilingKey(Long.MIN_VALUE);
        return first == null ? 0 : first;
    }

    /** The earliest fire time of a timer in flight, or 0 when none is. */
    synchronized long earliestFireTime() {
        var first = byFireTime.firstEntry();
        return first == null ? 0 : first.getKey().earliestFireTime();
    }

    long nextId() {
        return next.get();
    }
}
