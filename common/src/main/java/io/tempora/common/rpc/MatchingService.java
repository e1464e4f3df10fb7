package io.tempora.common.rpc;

import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;

/** The matching role as seen by history (adds tasks) and the frontend (polls). */
public interface MatchingService {

    /** Queues a task; returns once it is handed to a poller or durably in the backlog. */
    void addTask(AddTaskRequest request) throws StickyWorkerUnavailableException;

    /** Long-polls for a workflow task; returns an empty response when the poll times out. */
    PollWorkflowTaskQueueResponse pollWorkflowTaskQueue(String namespaceId, PollWorkflowTaskQueueRequest request, long deadlineMs);

    PollActivityTaskQueueResponse pollActivityTaskQueue(String namespaceId, PollActivityTaskQueueRequest request, long deadlineMs);

    /** Whether a worker polls this workflow task queue (queries fail fast when none does). */
    boolean hasWorkflowPoller(String namespaceId, String taskQueue);

    /** Drops the sticky queue of a worker that said it is shutting down. */
    void unloadStickyQueue(String namespaceId, String stickyTaskQueue);

    /** What DescribeTaskQueue reports of one task queue and type: its recent pollers, backlog and rates. */
    TaskQueueDescription describeTaskQueue(String namespaceId, String taskQueue, io.temporal.api.enums.v1.TaskQueueType type);

    class StickyWorkerUnavailableException extends Exception {
        public StickyWorkerUnavailableException(String queue) {
            super("sticky worker unavailable, please use original task queue: " + queue);
        }
    }
}
