package io.tempora.history;

import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.proto.TaskToken;
import io.tempora.common.rpc.ActivityRef;
import io.tempora.common.rpc.Caller;
import io.tempora.common.rpc.ChildCompletion;
import io.tempora.common.rpc.HistoryService;
import io.tempora.common.rpc.ParentInfo;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflowservice.v1.*;
import java.util.function.IntFunction;
import java.util.function.ToIntBiFunction;

/**
 * Sends each history call to the node that owns the workflow's shard. A single node owns every shard, so today the
 * owner is always the local engine; a cluster plugs in an owner lookup that returns a gRPC client for remote shards.
 */
public final class ShardRouter implements HistoryService {
    private final ToIntBiFunction<String, String> shardOf;
    private final IntFunction<HistoryService> ownerOf;

    /** {@code ownerOf} returns the history service owning a shard, or null when no node owns it now. */
    public ShardRouter(ToIntBiFunction<String, String> shardOf, IntFunction<HistoryService> ownerOf) {
        this.shardOf = shardOf;
        this.ownerOf = ownerOf;
    }

    private HistoryService route(String namespaceId, String workflowId) {
        int shard = shardOf.applyAsInt(namespaceId, workflowId);
        HistoryService owner = ownerOf.apply(shard);
        if (owner == null) {
            throw ServiceErrors.unavailable("shard " + shard + " has no owner right now, please retry");
        }
        return owner;
    }

    @Override
    public StartWorkflowExecutionResponse startWorkflowExecution(String namespaceId, StartWorkflowExecutionRequest request) {
        return route(namespaceId, request.getWorkflowId()).startWorkflowExecution(namespaceId, request);
    }

    @Override
    public StartWorkflowExecutionResponse startChildWorkflowExecution(String namespaceId, StartWorkflowExecutionRequest request, ParentInfo parent) {
        return route(namespaceId, request.getWorkflowId()).startChildWorkflowExecution(namespaceId, request, parent);
    }

    @Override
    public SignalWithStartWorkflowExecutionResponse signalWithStartWorkflowExecution(String namespaceId, SignalWithStartWorkflowExecutionRequest request) {
        return route(namespaceId, request.getWorkflowId()).signalWithStartWorkflowExecution(namespaceId, request);
    }

    @Override
    public void signalWorkflowExecution(String namespaceId, SignalWorkflowExecutionRequest request, Caller caller) {
        route(namespaceId, request.getWorkflowExecution().getWorkflowId()).signalWorkflowExecution(namespaceId, request, caller);
    }

    @Override
    public void requestCancelWorkflowExecution(String namespaceId, RequestCancelWorkflowExecutionRequest request, Caller caller) {
        route(namespaceId, request.getWorkflowExecution().getWorkflowId()).requestCancelWorkflowExecution(namespaceId, request, caller);
    }

    @Override
    public void terminateWorkflowExecution(String namespaceId, TerminateWorkflowExecutionRequest request, Caller caller) {
        route(namespaceId, request.getWorkflowExecution().getWorkflowId()).terminateWorkflowExecution(namespaceId, request, caller);
    }

    @Override
    public void deleteWorkflowExecution(String namespaceId, DeleteWorkflowExecutionRequest request) {
        route(namespaceId, request.getWorkflowExecution().getWorkflowId()).deleteWorkflowExecution(namespaceId, request);
    }

    @Override
    public DescribeWorkflowExecutionResponse describeWorkflowExecution(String namespaceId, DescribeWorkflowExecutionRequest request) {
        return route(namespaceId, request.getExecution().getWorkflowId()).describeWorkflowExecution(namespaceId, request);
    }

    @Override
    public GetWorkflowExecutionHistoryResponse getWorkflowExecutionHistory(String namespaceId, GetWorkflowExecutionHistoryRequest request, long deadlineMs) {
        return route(namespaceId, request.getExecution().getWorkflowId()).getWorkflowExecutionHistory(namespaceId, request, deadlineMs);
    }

    @Override
    public GetWorkflowExecutionHistoryReverseResponse getWorkflowExecutionHistoryReverse(String namespaceId,
                                                                                         GetWorkflowExecutionHistoryReverseRequest request) {
        return route(namespaceId, request.getExecution().getWorkflowId()).getWorkflowExecutionHistoryReverse(namespaceId, request);
    }

    @Override
    public QueryWorkflowResponse queryWorkflow(String namespaceId, QueryWorkflowRequest request, long deadlineMs) {
        return route(namespaceId, request.getExecution().getWorkflowId()).queryWorkflow(namespaceId, request, deadlineMs);
    }

    @Override
    public UpdateWorkflowExecutionResponse updateWorkflowExecution(String namespaceId, UpdateWorkflowExecutionRequest request, long deadlineMs) {
        return route(namespaceId, request.getWorkflowExecution().getWorkflowId()).updateWorkflowExecution(namespaceId, request, deadlineMs);
    }

    @Override
    public ExecuteMultiOperationResponse updateWithStart(String namespaceId, StartWorkflowExecutionRequest start,
                                                         UpdateWorkflowExecutionRequest update, long deadlineMs) {
        return route(namespaceId, start.getWorkflowId()).updateWithStart(namespaceId, start, update, deadlineMs);
    }

    @Override
    public PollWorkflowExecutionUpdateResponse pollWorkflowExecutionUpdate(String namespaceId, PollWorkflowExecutionUpdateRequest request,
                                                                           long deadlineMs) {
        return route(namespaceId, request.getUpdateRef().getWorkflowExecution().getWorkflowId())
                .pollWorkflowExecutionUpdate(namespaceId, request, deadlineMs);
    }

    @Override
    public ResetWorkflowExecutionResponse resetWorkflowExecution(String namespaceId, ResetWorkflowExecutionRequest request) {
        return route(namespaceId, request.getWorkflowExecution().getWorkflowId()).resetWorkflowExecution(namespaceId, request);
    }

    @Override
    public void resetStickyTaskQueue(String namespaceId, ResetStickyTaskQueueRequest request) {
        route(namespaceId, request.getExecution().getWorkflowId()).resetStickyTaskQueue(namespaceId, request);
    }

    @Override
    public void recordChildExecutionCompleted(ChildCompletion completion) {
        route(completion.parentNamespaceId(), completion.parent().getWorkflowId()).recordChildExecutionCompleted(completion);
    }

    @Override
    public RespondWorkflowTaskCompletedResponse respondWorkflowTaskCompleted(TaskToken token, RespondWorkflowTaskCompletedRequest request) {
        return route(token.getNamespaceId(), token.getWorkflowId()).respondWorkflowTaskCompleted(token, request);
    }

    @Override
    public void respondWorkflowTaskFailed(TaskToken token, RespondWorkflowTaskFailedRequest request) {
        route(token.getNamespaceId(), token.getWorkflowId()).respondWorkflowTaskFailed(token, request);
    }

    @Override
    public void respondQueryTaskCompleted(TaskToken token, RespondQueryTaskCompletedRequest request) {
        route(token.getNamespaceId(), token.getWorkflowId()).respondQueryTaskCompleted(token, request);
    }

    @Override
    public void respondActivityTaskCompleted(ActivityRef activity, Payloads result, String identity) {
        route(activity.namespaceId(), activity.workflowId()).respondActivityTaskCompleted(activity, result, identity);
    }

    @Override
    public void respondActivityTaskFailed(ActivityRef activity, Failure failure, Payloads lastHeartbeatDetails, String identity) {
        route(activity.namespaceId(), activity.workflowId()).respondActivityTaskFailed(activity, failure, lastHeartbeatDetails, identity);
    }

    @Override
    public void respondActivityTaskCanceled(ActivityRef activity, Payloads details, String identity) {
        route(activity.namespaceId(), activity.workflowId()).respondActivityTaskCanceled(activity, details, identity);
    }

    @Override
    public boolean recordActivityTaskHeartbeat(ActivityRef activity, Payloads details) {
        return route(activity.namespaceId(), activity.workflowId()).recordActivityTaskHeartbeat(activity, details);
    }

    @Override
    public PollWorkflowTaskQueueResponse recordWorkflowTaskStarted(String namespaceId, MatchingTask task, PollWorkflowTaskQueueRequest poll) {
        return route(namespaceId, task.getWorkflowId()).recordWorkflowTaskStarted(namespaceId, task, poll);
    }

    @Override
    public PollActivityTaskQueueResponse recordActivityTaskStarted(String namespaceId, MatchingTask task, PollActivityTaskQueueRequest poll) {
        return route(namespaceId, task.getWorkflowId()).recordActivityTaskStarted(namespaceId, task, poll);
    }
}
