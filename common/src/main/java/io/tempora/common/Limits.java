package io.tempora.common;

import java.util.Map;

/**
 * Request and state limits, with the official server's defaults (common/dynamicconfig/constants.go). They can
 * be overridden with the official dynamic config keys (see {@link #withOverrides}).
 */
public record Limits(
        int blobSizeLimitError,
        int maxIdLength,
        int historyPageSize,
        int maxPendingActivities,
        long longPollTimeoutMs,
        long historyLongPollMs,
        int maxSignalsPerExecution,
        int maxPendingChildren,
        boolean eagerActivityExecution,
        int grpcMaxMessageBytes,
        int maxServiceErrorMessageLength,
        int searchAttributesNumberOfKeys,
        int searchAttributesSizeOfValue,
        int searchAttributesTotalSize,
        long mutableStateCacheBytes,
        long eventsCacheBytes,
        int taskDlqAttempts,
        int queueMaxLoadedTasks,
        long timerLookAheadMs,
        long taskQueueIdleMs,
        int matchingBatchSize,
        long syncMatchWaitMs,
        History history,
        Updates updates,
        Retention retention) {

    /**
     * Retention (system.namespaceMinRetentionLocal, history.retentionTimerJitterDuration): the shortest retention a
     * namespace may have, and the spread of the deletion timers (a random part of it is added to each, as the
     * official server does, so runs closed together are not deleted together).
     */
    public record Retention(long minLocalMs, long timerJitterMs) {
        public static Retention defaults() {
            return new Retention(3_600_000, 30 * 60_000);
        }
    }

    /**
     * A run's history bounds (limit.historySize.* and limit.historyCount.*): past warn the server logs, past error
     * it terminates the run; past suggest, WorkflowTaskStarted suggests continue-as-new.
     */
    public record History(long sizeWarnBytes, long sizeErrorBytes, long sizeSuggestBytes, long countWarn, long countError, long countSuggest) {
        public static History defaults() {
            return new History(10L << 20, 50L << 20, 4L << 20, 10_240, 51_200, 4_096);
        }
    }

    /** Updates per run (history.maxInFlightUpdates, history.maxTotalUpdates); 0 disables a limit. */
    public record Updates(int maxInFlight, int maxTotal) {
        public static Updates defaults() {
            return new Updates(10, 2000);
        }
    }

    /** The largest gRPC message the official frontend accepts (grpc-go's default; it has no dynamic config key). */
    public static final int DEFAULT_GRPC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /**
     * Memory for runs not in use (state + small histories) and for recently scheduled activity inputs. Smaller than
     * the official defaults (about 1 GB and 512 KB per shard): one process holds every service here.
     */
    public static final long DEFAULT_MUTABLE_STATE_CACHE_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_EVENTS_CACHE_BYTES = 16L * 1024 * 1024;

    /** Eager activities off, as the official server's default (system.enableActivityEagerExecution). */
    public static Limits defaults() {
        return new Limits(2 * 1024 * 1024, 1000, 256, 2000, 60_000, 20_000, 10_000, 2000, false,
                DEFAULT_GRPC_MAX_MESSAGE_BYTES, 4000, 100, 2 * 1024, 40 * 1024,
                DEFAULT_MUTABLE_STATE_CACHE_BYTES, DEFAULT_EVENTS_CACHE_BYTES, 70, 10_000, 5 * 60_000,
                5 * 60_000, 1000, 200, History.defaults(), Updates.defaults(), Retention.defaults());
    }

    /** The dynamic config keys {@link #withOverrides} understands. */
    public static final java.util.List<String> KEYS = java.util.List.of(
            "limit.blobSize.error", "limit.maxIDLength", "limit.numPendingActivities.error",
            "limit.numPendingChildExecutions.error", "history.maximumSignalsPerExecution", "system.enableActivityEagerExecution",
            "system.maxServiceErrorMessageLength", "frontend.searchAttributesNumberOfKeysLimit",
            "frontend.searchAttributesSizeOfValueLimit", "frontend.searchAttributesTotalSizeLimit", "tempora.grpcMaxMessageSize",
            "history.hostLevelCacheMaxSizeBytes", "history.eventsCacheMaxSizeBytes", "history.TaskDLQUnexpectedErrorAttempts",
            "tempora.queueMaxLoadedTasks", "tempora.timerLookAheadSeconds", "matching.maxTaskQueueIdleTime",
            "matching.getTasksBatchSize", "matching.syncMatchWaitDuration", "limit.historySize.warn", "limit.historySize.error", "limit.historySize.suggestContinueAsNew",
            "limit.historyCount.warn", "limit.historyCount.error", "limit.historyCount.suggestContinueAsNew", "history.maxInFlightUpdates",
            "history.maxTotalUpdates", "system.namespaceMinRetentionLocal", "history.retentionTimerJitterDuration");

    /** Applies dynamic config values given as key=value, e.g. {@code limit.numPendingActivities.error=10}. */
    public Limits withOverrides(Map<String, String> values) {
        int blob = blobSizeLimitError;
        int idLength = maxIdLength;
        int activities = maxPendingActivities;
        int signals = maxSignalsPerExecution;
        int children = maxPendingChildren;
        boolean eager = eagerActivityExecution;
        int grpcMax = grpcMaxMessageBytes;
        int errorLength = maxServiceErrorMessageLength;
        int saKeys = searchAttributesNumberOfKeys;
        int saValue = searchAttributesSizeOfValue;
        int saTotal = searchAttributesTotalSize;
        long stateCache = mutableStateCacheBytes;
        long eventsCache = eventsCacheBytes;
        int dlqAttempts = taskDlqAttempts;
        int maxLoaded = queueMaxLoadedTasks;
        long lookAhead = timerLookAheadMs;
        long idle = taskQueueIdleMs;
        int matchingBatch = matchingBatchSize;
        long syncMatchWait = syncMatchWaitMs;
        long[] h = {history.sizeWarnBytes(), history.sizeErrorBytes(), history.sizeSuggestBytes(), history.countWarn(), history.countError(),
                history.countSuggest()};
        int inFlightUpdates = updates.maxInFlight();
        int totalUpdates = updates.maxTotal();
        long minRetention = retention.minLocalMs();
        long retentionJitter = retention.timerJitterMs();
        for (Map.Entry<String, String> e : values.entrySet()) {
            switch (e.getKey()) {
                case "limit.blobSize.error" -> blob = positive(e);
                case "limit.maxIDLength" -> idLength = positive(e);
                case "limit.numPendingActivities.error" -> activities = positive(e);
                case "limit.numPendingChildExecutions.error" -> children = positive(e);
                case "history.maximumSignalsPerExecution" -> signals = positive(e);
                case "system.enableActivityEagerExecution" -> eager = Boolean.parseBoolean(e.getValue().trim());
                case "system.maxServiceErrorMessageLength" -> errorLength = positive(e);
                case "frontend.searchAttributesNumberOfKeysLimit" -> saKeys = positive(e);
                case "frontend.searchAttributesSizeOfValueLimit" -> saValue = positive(e);
                case "frontend.searchAttributesTotalSizeLimit" -> saTotal = positive(e);
                case "tempora.grpcMaxMessageSize" -> grpcMax = positive(e);
                case "history.hostLevelCacheMaxSizeBytes" -> stateCache = positive(e);
                case "history.eventsCacheMaxSizeBytes" -> eventsCache = positive(e);
                case "history.TaskDLQUnexpectedErrorAttempts" -> dlqAttempts = positive(e);
                case "tempora.queueMaxLoadedTasks" -> maxLoaded = positive(e);
                case "tempora.timerLookAheadSeconds" -> lookAhead = positive(e) * 1000L;
                case "matching.maxTaskQueueIdleTime" -> idle = durationMs(e);
                case "matching.getTasksBatchSize" -> matchingBatch = positive(e);
                case "matching.syncMatchWaitDuration" -> syncMatchWait = durationOrZeroMs(e);
                case "limit.historySize.warn" -> h[0] = positive(e);
                case "limit.historySize.error" -> h[1] = positive(e);
                case "limit.historySize.suggestContinueAsNew" -> h[2] = positive(e);
                case "limit.historyCount.warn" -> h[3] = positive(e);
                case "limit.historyCount.error" -> h[4] = positive(e);
                case "limit.historyCount.suggestContinueAsNew" -> h[5] = positive(e);
                case "history.maxInFlightUpdates" -> inFlightUpdates = nonNegative(e);
                case "history.maxTotalUpdates" -> totalUpdates = nonNegative(e);
                case "system.namespaceMinRetentionLocal" -> minRetention = durationMs(e);
                case "history.retentionTimerJitterDuration" -> retentionJitter = durationOrZeroMs(e);
                default -> throw new IllegalArgumentException("unknown dynamic config key " + e.getKey()
                        + " (supported: " + String.join(", ", KEYS) + ")");
            }
        }
        return new Limits(blob, idLength, historyPageSize, activities, longPollTimeoutMs, historyLongPollMs, signals, children, eager,
                grpcMax, errorLength, saKeys, saValue, saTotal, stateCache, eventsCache,
                dlqAttempts, maxLoaded, lookAhead, idle, matchingBatch, syncMatchWait, new History(h[0], h[1], h[2], h[3], h[4], h[5]),
                new Updates(inFlightUpdates, totalUpdates), new Retention(minRetention, retentionJitter));
    }

    /** A duration, or 0 (off). */
    private static long durationOrZeroMs(Map.Entry<String, String> e) {
        return e.getValue().trim().matches("\"?0\"?") ? 0 : durationMs(e);
    }

    /** A duration as the official dynamic config writes it ("90s", "5m", "1h", "250ms"), or plain seconds. */
    private static long durationMs(Map.Entry<String, String> e) {
        String v = e.getValue().trim().replace("\"", "");
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(v);
        if (!m.matches() || Long.parseLong(m.group(1)) <= 0) {
            throw new IllegalArgumentException("dynamic config value " + e.getKey() + " must be a positive duration such as 90s, 5m or 1h, got '"
                    + e.getValue() + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> n;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 1000;
        };
    }

    private static int nonNegative(Map.Entry<String, String> e) {
        return e.getValue().trim().equals("0") ? 0 : positive(e);
    }

    private static int positive(Map.Entry<String, String> e) {
        int v;
        try {
            v = Integer.parseInt(e.getValue().trim());
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("dynamic config value " + e.getKey() + " must be an integer, got '" + e.getValue() + "'");
        }
        if (v <= 0) {
            throw new IllegalArgumentException("dynamic config value " + e.getKey() + " must be positive");
        }
        return v;
    }

    /** Whether an id (workflow id, task queue, type, request id ...) is over limit.maxIDLength. */
    public boolean idTooLong(String id) {
        return longerThan(id, maxIdLength);
    }

    /** Whether {@code s} takes more than {@code maxBytes} bytes of UTF-8: the official server's limits count len(). */
    public static boolean longerThan(String s, int maxBytes) {
        if (s.length() > maxBytes) {
            return true;
        }
        if ((long) s.length() * 3 <= maxBytes) {
            return false; // a UTF-16 unit is at most 3 bytes of UTF-8
        }
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes;
    }
}
