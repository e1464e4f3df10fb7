package io.tempora.matching;

/**
 * Matching's memory knobs. The first two are the official server's dynamic config keys with its defaults;
 * together they bound what matching holds: live partitions only, one backlog page each.
 *
 * @param maxTaskQueueIdleMs    {@code matching.maxTaskQueueIdleTime}: a partition nobody polled or added to for this
 *                              long is unloaded (its backlog stays in the table)
 * @param getTasksBatchSize     {@code matching.getTasksBatchSize}: backlog tasks read from the table at a time, and
 *                              about the most a partition holds in memory
 * @param maxBufferedQueryTasks query tasks (memory only, never persisted) a partition holds for pollers to come;
 *                              more are refused with RESOURCE_EXHAUSTED
 * @param syncMatchWaitMs       {@code matching.syncMatchWaitDuration}: how long a task with no poller waiting (and no
 *                              backlog ahead of it) waits for one before it is written to the backlog; 0 writes at once
 */
public record MatchingConfig(long maxTaskQueueIdleMs, int getTasksBatchSize, int maxBufferedQueryTasks, long syncMatchWaitMs) {

    public MatchingConfig {
        if (maxTaskQueueIdleMs <= 0 || getTasksBatchSize <= 0 || maxBufferedQueryTasks <= 0 || syncMatchWaitMs < 0) {
            throw new IllegalArgumentException("matching limits must be positive: " + maxTaskQueueIdleMs + ", "
                    + getTasksBatchSize + ", " + maxBufferedQueryTasks + ", " + syncMatchWaitMs);
        }
    }

    public MatchingConfig(long maxTaskQueueIdleMs, int getTasksBatchSize, int maxBufferedQueryTasks) {
        this(maxTaskQueueIdleMs, getTasksBatchSize, maxBufferedQueryTasks, 200);
    }

    public static MatchingConfig defaults() {
        return new MatchingConfig(5 * 60_000, 1000, 1000, 200);
    }
}
