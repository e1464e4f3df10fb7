package io.tempora.common;

/**
 * Request and state limits, with the official server's defaults (common/dynamicconfig/constants.go).
 */
public record Limits(
        int blobSizeLimitError,
        int maxIdLength,
        int historyPageSize,
        int maxPendingActivities,
        int maxPendingTimers,
        long longPollTimeoutMs,
        long historyLongPollMs,
        int maxSignalsPerExecution,
        int maxPendingChildren) {

    public static Limits defaults() {
        return new Limits(2 * 1024 * 1024, 1000, 256, 2000, 2000, 60_000, 20_000, 10_000, 2000);
    }
}
