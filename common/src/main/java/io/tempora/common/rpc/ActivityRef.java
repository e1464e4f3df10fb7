package io.tempora.common.rpc;

import io.tempora.common.proto.TaskToken;

/** Names one activity attempt: by its task token (scheduled event id and attempt), or by activity id. */
public record ActivityRef(String namespaceId, String workflowId, String runId, long scheduledEventId, int attempt, String activityId) {
    public static ActivityRef of(TaskToken t) {
        return new ActivityRef(t.getNamespaceId(), t.getWorkflowId(), t.getRunId(), t.getScheduledEventId(), t.getAttempt(), t.getActivityId());
    }
}
