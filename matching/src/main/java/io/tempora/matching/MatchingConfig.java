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
 */
public record MatchingConfig(long maxTaskQueueIdleMs, int getTasksBatchSize, int maxBufferedQueryTasks) {

    public MatchingConfig {
        if (maxTaskQueueIdleMs <= 0 || getTasksBatchSize <= 0 || maxBufferedQueryTasks <= 0) {
            throw new IllegalArgumentException("matching limits must be positive: " + maxTaskQueueIdleMs + ", "
                    + getTasksBatchSize + ", " + maxBufferedQueryTasks);
        }
    }

    public static MatchingConfig defaults() {
        return new MatchingConfig(5 * 60_000, 1000, 1000);
    }
}
