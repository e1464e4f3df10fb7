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
        int blob = blobSizeLimitError;
        int idLength = maxIdLength;
        int activities = maxPendingActivities;
        int signals = maxSignalsPerExecution;
        int children = maxPendingChildren;
        boolean eager = eagerActivityExecution;
        for (Map.Entry<String, String> e : values.entrySet()) {
            switch (e.getKey()) {
                case "limit.blobSize.error" -> blob = positive(e);
                case "limit.maxIDLength" -> idLength = positive(e);
                case "limit.numPendingActivities.error" -> activities = positive(e);
                case "limit.numPendingChildExecutions.error" -> children = positive(e);
                case "history.maximumSignalsPerExecution" -> signals = positive(e);
                case "system.enableActivityEagerExecution" -> eager = Boolean.parseBoolean(e.getValue().trim());
                default -> throw new IllegalArgumentException("unknown dynamic config key " + e.getKey() + " (supported: "
                        + "limit.blobSize.error, limit.maxIDLength, limit.numPendingActivities.error, "
                        + "limit.numPendingChildExecutions.error, history.maximumSignalsPerExecution, system.enableActivityEagerExecution)");
            }
        }
        return new Limits(blob, idLength, historyPageSize, activities, longPollTimeoutMs, historyLongPollMs, signals, children, eager);
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
}
