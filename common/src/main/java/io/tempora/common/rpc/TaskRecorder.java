package io.tempora.common.rpc;

import io.tempora.common.proto.MatchingTask;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;

/** What matching needs from history: turning a matched task into a started task (part of {@link HistoryService}). */
public interface TaskRecorder {

    /**
     * Records the workflow task as started and returns the poll response (without task token paging
     * fixed up by the frontend). Throws NOT_FOUND when the task is stale (already started, completed or gone).
     */
    PollWorkflowTaskQueueResponse recordWorkflowTaskStarted(String namespaceId, MatchingTask task, PollWorkflowTaskQueueRequest poll);

    PollActivityTaskQueueResponse recordActivityTaskStarted(String namespaceId, MatchingTask task, PollActivityTaskQueueRequest poll);
}
