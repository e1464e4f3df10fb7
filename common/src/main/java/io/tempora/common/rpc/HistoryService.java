package io.tempora.common.rpc;

import io.tempora.common.proto.TaskToken;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetStickyTaskQueueRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.RespondQueryTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;

/**
 * The history service as its callers see it (frontend, matching, and workflows acting on other workflows): every
 * call names its workflow by namespace id and workflow id (in the request, a task token or a reference), so a router
 * can send it to the node that owns the workflow's shard. Requests are validated by the frontend; the answers and
 * errors are those of the official history service. Calls are local today; the same messages go over internal gRPC
 * in a cluster.
 */
public interface HistoryService extends TaskRecorder {

    // ---- clients (and workflows acting on other workflows) ----------------------------------------

    StartWorkflowExecutionResponse startWorkflowExecution(String namespaceId, StartWorkflowExecutionRequest request);

    /** Starts a child workflow for {@code parent} (the StartChildWorkflowExecution transfer task). */
    StartWorkflowExecutionResponse startChildWorkflowExecution(String namespaceId, StartWorkflowExecutionRequest request, ParentInfo parent);

    SignalWithStartWorkflowExecutionResponse signalWithStartWorkflowExecution(String namespaceId, SignalWithStartWorkflowExecutionRequest request);

    void signalWorkflowExecution(String namespaceId, SignalWorkflowExecutionRequest request, Caller caller);

    void requestCancelWorkflowExecution(String namespaceId, RequestCancelWorkflowExecutionRequest request, Caller caller);

    void terminateWorkflowExecution(String namespaceId, TerminateWorkflowExecutionRequest request, Caller caller);

    void deleteWorkflowExecution(String namespaceId, DeleteWorkflowExecutionRequest request);

    DescribeWorkflowExecutionResponse describeWorkflowExecution(String namespaceId, DescribeWorkflowExecutionRequest request);

    GetWorkflowExecutionHistoryResponse getWorkflowExecutionHistory(String namespaceId, GetWorkflowExecutionHistoryRequest request, long deadlineMs);

    GetWorkflowExecutionHistoryReverseResponse getWorkflowExecutionHistoryReverse(String namespaceId, GetWorkflowExecutionHistoryReverseRequest request);

    QueryWorkflowResponse queryWorkflow(String namespaceId, QueryWorkflowRequest request, long deadlineMs);

    UpdateWorkflowExecutionResponse updateWorkflowExecution(String namespaceId, UpdateWorkflowExecutionRequest request, long deadlineMs);

    /** ExecuteMultiOperation with [Start, Update] (update-with-start). */
    ExecuteMultiOperationResponse updateWithStart(String namespaceId, StartWorkflowExecutionRequest start, UpdateWorkflowExecutionRequest update,
                                                  long deadlineMs);

    PollWorkflowExecutionUpdateResponse pollWorkflowExecutionUpdate(String namespaceId, PollWorkflowExecutionUpdateRequest request, long deadlineMs);

    ResetWorkflowExecutionResponse resetWorkflowExecution(String namespaceId, ResetWorkflowExecutionRequest request);

    void resetStickyTaskQueue(String namespaceId, ResetStickyTaskQueueRequest request);

    /** A child closed for good: its parent records the outcome. */
    void recordChildExecutionCompleted(ChildCompletion completion);

    // ---- workers --------------------------------------------------------------------------------

    RespondWorkflowTaskCompletedResponse respondWorkflowTaskCompleted(TaskToken token, RespondWorkflowTaskCompletedRequest request);

    void respondWorkflowTaskFailed(TaskToken token, RespondWorkflowTaskFailedRequest request);

    void respondQueryTaskCompleted(TaskToken token, RespondQueryTaskCompletedRequest request);

    void respondActivityTaskCompleted(ActivityRef activity, Payloads result, String identity);

    void respondActivityTaskFailed(ActivityRef activity, Failure failure, Payloads lastHeartbeatDetails, String identity);

    void respondActivityTaskCanceled(ActivityRef activity, Payloads details, String identity);

    /** Returns whether cancellation was requested. */
    boolean recordActivityTaskHeartbeat(ActivityRef activity, Payloads details);
}
