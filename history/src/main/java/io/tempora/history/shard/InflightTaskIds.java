package io.tempora.history.shard;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task ids of a shard's transitions that are allocated but not yet committed (or failed). The queues' ack levels
 * must stay below the lowest of them: a commit in flight may still add tasks there.
 */
final class InflightTaskIds {
    private final AtomicLong next;
    private final ConcurrentSkipListSet<Long> inflight = new ConcurrentSkipListSet<>();

    InflightTaskIds(long firstId) {
        this.next = new AtomicLong(firstId);
    }

    /** Allocates {@code count} consecutive ids and marks the block in flight in one step; returns the first (0 for none). */
    synchronized long allocate(int count) {
        if (count == 0) {
            return 0;
        }
        long first = next.getAndAdd(count);
        inflight.add(first);
        return first;
    }

    /** The block starting at {@code first} is committed or failed. */
    void release(long first) {
        if (first > 0) {
            inflight.remove(first);
        }
    }

    /**
     * The lowest id in flight, or 0 when nothing is. Synchronized with {@link #allocate} so that no block can be
     * allocated below a minimum just read; a release may run at any time (ceiling() never throws on an empty set).
     */
    synchronized long minimum() {
        Long first = inflight.ceiling(Long.MIN_VALUE);
        return first == null ? 0 : first;
    }

    long nextId() {
        return next.get();
    }
}
