package io.tempora.persistence;

/**
 * One outbox task of a history shard as stored: its category (transfer, timer, ...), its place in the category's
 * order (fire time, then task id; immediate categories use fire time 0) and its serialized body.
 */
public record HistoryTask(int categoryId, long fireTimeMs, long taskId, byte[] data) {

    /** The task's position in its queue, compared as (fire time, task id). */
    public record Key(long fireTimeMs, long taskId) implements Comparable<Key> {
        public static final Key MIN = new Key(Long.MIN_VALUE, Long.MIN_VALUE);

        @Override
        public int compareTo(Key o) {
            int c = Long.compare(fireTimeMs, o.fireTimeMs);
            return c != 0 ? c : Long.compare(taskId, o.taskId);
        }
    }

    public Key key() {
        return new Key(fireTimeMs, taskId);
    }
}
