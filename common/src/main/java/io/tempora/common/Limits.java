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
        boolean eagerActivityExecution) {

    /** Eager activities off, as the official server's default (system.enableActivityEagerExecution). */
    public static Limits defaults() {
        return new Limits(2 * 1024 * 1024, 1000, 256, 2000, 60_000, 20_000, 10_000, 2000, false);
    }

    /** Applies dynamic config values given as key=value, e.g. {@code limit.numPendingActivities.error=10}. */
    public Limits withOverrides(Map<String, String> values) {
        Limits l = this;
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().equals("system.enableActivityEagerExecution")) {
                boolean on = Boolean.parseBoolean(e.getValue().trim());
                l = new Limits(l.blobSizeLimitError, l.maxIdLength, l.historyPageSize, l.maxPendingActivities, l.longPollTimeoutMs,
                        l.historyLongPollMs, l.maxSignalsPerExecution, l.maxPendingChildren, on);
                continue;
            }
            int v;
            try {
                v = Integer.parseInt(e.getValue().trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("dynamic config value " + e.getKey() + " must be an integer, got '" + e.getValue() + "'");
            }
            if (v <= 0) {
                throw new IllegalArgumentException("dynamic config value " + e.getKey() + " must be positive");
            }
            l = switch (e.getKey()) {
                case "limit.blobSize.error" -> new Limits(v, l.maxIdLength, l.historyPageSize, l.maxPendingActivities,
                        l.longPollTimeoutMs, l.historyLongPollMs, l.maxSignalsPerExecution, l.maxPendingChildren, l.eagerActivityExecution);
                case "limit.maxIDLength" -> new Limits(l.blobSizeLimitError, v, l.historyPageSize, l.maxPendingActivities,
                        l.longPollTimeoutMs, l.historyLongPollMs, l.maxSignalsPerExecution, l.maxPendingChildren, l.eagerActivityExecution);
                case "limit.numPendingActivities.error" -> new Limits(l.blobSizeLimitError, l.maxIdLength, l.historyPageSize, v,
                        l.longPollTimeoutMs, l.historyLongPollMs, l.maxSignalsPerExecution, l.maxPendingChildren, l.eagerActivityExecution);
                case "limit.numPendingChildExecutions.error" -> new Limits(l.blobSizeLimitError, l.maxIdLength, l.historyPageSize,
                        l.maxPendingActivities, l.longPollTimeoutMs, l.historyLongPollMs, l.maxSignalsPerExecution, v, l.eagerActivityExecution);
                case "history.maximumSignalsPerExecution" -> new Limits(l.blobSizeLimitError, l.maxIdLength, l.historyPageSize,
                        l.maxPendingActivities, l.longPollTimeoutMs, l.historyLongPollMs, v, l.maxPendingChildren, l.eagerActivityExecution);
                default -> throw new IllegalArgumentException("unknown dynamic config key " + e.getKey() + " (supported: "
                        + "limit.blobSize.error, limit.maxIDLength, limit.numPendingActivities.error, "
                        + "limit.numPendingChildExecutions.error, history.maximumSignalsPerExecution, system.enableActivityEagerExecution)");
            };
        }
        return l;
    }
}
