package io.tempora.persistence.visibility;

/**
 * A run as visibility shows it. Times are epoch nanoseconds; {@code closeTime} and {@code executionDuration} are null
 * while the run is open. {@code searchAttributesJson} holds every search attribute by its column name (custom ones by
 * their namespace's column), {@code searchAttributes} and {@code memo} the serialized protos as the run has them.
 * {@code version} is the run's record version: a record never replaces a newer one.
 */
public record VisibilityRecord(
        String namespaceId, String runId, String workflowId, String workflowType, int status,
        long startTime, long executionTime, Long closeTime, Long executionDuration,
        long historyLength, long historySizeBytes, long stateTransitionCount, String taskQueue,
        String parentWorkflowId, String parentRunId, String rootWorkflowId, String rootRunId,
        byte[] memo, byte[] searchAttributes, String searchAttributesJson, long version) {

    /** Where a list page ends: the default order's key of its last record. */
    public record PageKey(long closeTimeSort, long startTime, String runId) {}

    /** The key of the default order (open runs first, then by close time, then start time, all newest first). */
    public PageKey pageKey() {
        return new PageKey(closeTime == null ? Long.MAX_VALUE : closeTime, startTime, runId);
    }
}
