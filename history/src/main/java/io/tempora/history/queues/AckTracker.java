package io.tempora.history.queues;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Tracks which committed tasks of a queue are done, to compute the ack level: every task at or below it is
 * done, so recovery can start above it. Keys are ordered (task id, or fire time then task id).
 */
final class AckTracker<K extends Comparable<K>> {
    private final ConcurrentSkipListMap<K, Boolean> outstanding = new ConcurrentSkipListMap<>();

    void add(K key) {
        outstanding.putIfAbsent(key, Boolean.FALSE);
    }

    void done(K key) {
        outstanding.replace(key, Boolean.TRUE);
    }

    /** Removes the done prefix and returns its last key, or null when nothing new is acknowledged. */
    K advance() {
        K last = null;
        for (Map.Entry<K, Boolean> e = outstanding.firstEntry(); e != null && e.getValue(); e = outstanding.firstEntry()) {
            last = e.getKey();
            outstanding.remove(e.getKey());
        }
        return last;
    }

    /** The first key not yet done, or null when all are done. */
    K firstPending() {
        Map.Entry<K, Boolean> e = outstanding.firstEntry();
        return e == null ? null : e.getKey();
    }

    int size() {
        return outstanding.size();
    }
}
