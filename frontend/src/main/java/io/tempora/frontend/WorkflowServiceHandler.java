package io.tempora.frontend;

import io.grpc.stub.StreamObserver;
import io.tempora.common.Limits;
import io.tempora.common.ServiceErrors;
import io.tempora.common.TaskTokens;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.TaskToken;
import io.tempora.common.rpc.MatchingService;
import io.tempora.common.rpc.ActivityRef;
import io.tempora.common.rpc.Caller;
import io.tempora.common.rpc.HistoryService;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.ServerFailureInfo;
import io.temporal.api.workflowservice.v1.*;

/**
 * The public WorkflowService API: validates each request, resolves its namespace and routes it to history
 * or matching. It holds no workflow state.
 */
public final class WorkflowServiceHandler extends WorkflowServiceGrpc.WorkflowServiceImplBase {
    public static final String SERVER_VERSION = "1.30.0";

    private final NamespaceApi namespaces;
    private final HistoryService history;
    private final MatchingService matching;
    private final RequestValidator validate;
    private final Limits limits;
    private final VisibilityApi visibility;

    private final TaskQueueApi taskQueues;
    private final GetClusterInfoResponse clusterInfo;

    /**
     * {@code clusterInfo} is what GetClusterInfo answers; {@code hostAddress} the address this server serves on (known
     * once it listens), the owner of every task queue partition.
     */
    public WorkflowServiceHandler(io.tempora.persistence.NamespaceRegistry registry, HistoryService history, MatchingService matching, Limits limits,
                                  VisibilityApi visibility, GetClusterInfoResponse clusterInfo, java.util.function.Supplier<String> hostAddress) {
        this.namespaces = new NamespaceApi(registry, limits.retention().minLocalMs());
        this.visibility = visibility;
        this.history = history;
        this.matching = matching;
        this.validate = new RequestValidator(limits);
        this.limits = limits;
        this.clusterInfo = clusterInfo;
        this.taskQueues = new TaskQueueApi(matching, validate, hostAddress);
    }

    @Override
    public void getClusterInfo(GetClusterInfoRequest request, StreamObserver<GetClusterInfoResponse> observer) {
        Calls.unary(observer, () -> clusterInfo);
    }

    @Override
    public void describeTaskQueue(DescribeTaskQueueRequest request, StreamObserver<DescribeTaskQueueResponse> observer) {
        Calls.unary(observer, () -> taskQueues.describe(namespaces.resolve(request.getNamespace()), request));
    }

    @Override
    public void listTaskQueuePartitions(ListTaskQueuePartitionsRequest request, StreamObserver<ListTaskQueuePartitionsResponse> observer) {
        Calls.unary(observer, () -> {
            namespaces.resolve(request.getNamespace());
            return taskQueues.listPartitions(request);
        });
    }

    /** The capabilities are what works, nothing more: the SDKs act on them (e.g. SDK flags need sdk_metadata). */
    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> observer) {
        Calls.unary(observer, () -> GetSystemInfoResponse.newBuilder()
                .setServerVersion(SERVER_VERSION)
                .setCapabilities(GetSystemInfoResponse.Capabilities.newBuilder()
                        .setSignalAndQueryHeader(true)
                        .setInternalErrorDifferentiation(true)
                        .setActivityFailureIncludeHeartbeat(true)
                        .setEncodedFailureAttributes(true)
                        .setUpsertMemo(true)
                        .setSdkMetadata(true)
                        .setCountGroupByExecutionStatus(true))
                .build());
    }

    // ---- namespaces ----------------------------------------------------------------------------------

    @Override
    public void registerNamespace(RegisterNamespaceRequest request, StreamObserver<RegisterNamespaceResponse> observer) {
        Calls.unary(observer, () -> namespaces.register(request));
    }

    @Override
    public void describeNamespace(DescribeNamespaceRequest request, StreamObserver<DescribeNamespaceResponse> observer) {
        Calls.unary(observer, () -> namespaces.describe(request));
    }

    @Override
    public void listNamespaces(ListNamespacesRequest request, StreamObserver<ListNamespacesResponse> observer) {
        Calls.unary(observer, () -> namespaces.list(request));
    }

    // ---- visibility ----------------------------------------------------------------------------------

    @Override
    public void listWorkflowExecutions(ListWorkflowExecutionsRequest request, StreamObserver<ListWorkflowExecutionsResponse> observer) {
        Calls.unary(observer, () -> {
            VisibilityApi.Page page = visibility.list(namespaces.resolve(request.getNamespace()), request.getQuery(),
                    request.getPageSize(), request.getNextPageToken());
            return ListWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    @Override
    public void scanWorkflowExecutions(ScanWorkflowExecutionsRequest request, StreamObserver<ScanWorkflowExecutionsResponse> observer) {
        Calls.unary(observer, () -> {
            VisibilityApi.Page page = visibility.list(namespaces.resolve(request.getNamespace()), request.getQuery(),
                    request.getPageSize(), request.getNextPageToken());
            return ScanWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    @Override
    public void countWorkflowExecutions(CountWorkflowExecutionsRequest request, StreamObserver<CountWorkflowExecutionsResponse> observer) {
        Calls.unary(observer, () -> visibility.count(namespaces.resolve(request.getNamespace()), request.getQuery()));
    }

    @Override
    public void listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest request, StreamObserver<ListOpenWorkflowExecutionsResponse> observer) {
        Calls.unary(observer, () -> {
            VisibilityApi.Page page = visibility.listOpen(namespaces.resolve(request.getNamespace()), request);
            return ListOpenWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    @Override
    public void listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest request, StreamObserver<ListClosedWorkflowExecutionsResponse> observer) {
        Calls.unary(observer, () -> {
            VisibilityApi.Page page = visibility.listClosed(namespaces.resolve(request.getNamespace()), request);
            return ListClosedWorkflowExecutionsResponse.newBuilder().addAllExecutions(page.executions()).setNextPageToken(page.nextPageToken()).build();
        });
    }

    @Override
    public void listArchivedWorkflowExecutions(ListArchivedWorkflowExecutionsRequest request,
                                               StreamObserver<ListArchivedWorkflowExecutionsResponse> observer) {
        Calls.unary(observer, () -> {
            visibility.listArchived(request.getPageSize());
            return ListArchivedWorkflowExecutionsResponse.getDefaultInstance();
        });
    }

    @Override
    public void getSearchAttributes(GetSearchAttributesRequest request, StreamObserver<GetSearchAttributesResponse> observer) {
        Calls.unary(observer, visibility::searchAttributes);
    }

    @Override
    public void updateNamespace(UpdateNamespaceRequest request, StreamObserver<UpdateNamespaceResponse> observer) {
        Calls.unary(observer, () -> namespaces.update(request));
    }

    @Override
    public void deprecateNamespace(DeprecateNamespaceRequest request, StreamObserver<DeprecateNamespaceResponse> observer) {
        Calls.unary(observer, () -> namespaces.deprecate(request));
    }

    // ---- workflows -----------------------------------------------------------------------------------

    @Override
    public void startWorkflowExecution(StartWorkflowExecutionRequest request, StreamObserver<StartWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolveForStart(request.getNamespace());
            validate.start(request);
            return history.startWorkflowExecution(ns.getId(), withTypedSearchAttributes(ns, request));
        });
    }

    @Override
    public void getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest request,
                                            StreamObserver<GetWorkflowExecutionHistoryResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getExecution().getWorkflowId());
            return history.getWorkflowExecutionHistory(ns.getId(), request, Calls.pollDeadline(limits.longPollTimeoutMs()));
        });
    }

    @Override
    public void getWorkflowExecutionHistoryReverse(GetWorkflowExecutionHistoryReverseRequest request,
                                                   StreamObserver<GetWorkflowExecutionHistoryReverseResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getExecution().getWorkflowId());
            return history.getWorkflowExecutionHistoryReverse(ns.getId(), request);
        });
    }

    @Override
    public void describeWorkflowExecution(DescribeWorkflowExecutionRequest request, StreamObserver<DescribeWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getExecution().getWorkflowId());
            return history.describeWorkflowExecution(ns.getId(), request);
        });
    }

    @Override
    public void terminateWorkflowExecution(TerminateWorkflowExecutionRequest request, StreamObserver<TerminateWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getWorkflowExecution().getWorkflowId());
            validate.identity(request.getIdentity());
            history.terminateWorkflowExecution(ns.getId(), request, Caller.CLIENT);
            return TerminateWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void signalWorkflowExecution(SignalWorkflowExecutionRequest request, StreamObserver<SignalWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getWorkflowExecution().getWorkflowId());
            validate.signal(request.getSignalName(), request.getInput(), request.getIdentity(), request.getRequestId());
            history.signalWorkflowExecution(ns.getId(), request, Caller.CLIENT);
            return SignalWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void signalWithStartWorkflowExecution(SignalWithStartWorkflowExecutionRequest request,
                                                 StreamObserver<SignalWithStartWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolveForStart(request.getNamespace());
            validate.signalWithStart(request);
            SignalWithStartWorkflowExecutionRequest typed = !request.hasSearchAttributes() ? request
                    : request.toBuilder().setSearchAttributes(validate.searchAttributes(ns, request.getSearchAttributes())).build();
            return history.signalWithStartWorkflowExecution(ns.getId(), typed);
        });
    }

    @Override
    public void requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest request,
                                               StreamObserver<RequestCancelWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getWorkflowExecution().getWorkflowId());
            validate.identity(request.getIdentity());
            history.requestCancelWorkflowExecution(ns.getId(), request, Caller.CLIENT);
            return RequestCancelWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void queryWorkflow(QueryWorkflowRequest request, StreamObserver<QueryWorkflowResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getExecution().getWorkflowId());
            if (request.getQuery().getQueryType().isEmpty()) {
                throw ServiceErrors.invalidArgument("QueryType is not set on request.");
            }
            validate.blob(request.getQuery().getQueryArgs().getSerializedSize());
            return history.queryWorkflow(ns.getId(), request, Calls.pollDeadline(limits.longPollTimeoutMs()));
        });
    }

    @Override
    public void respondQueryTaskCompleted(RespondQueryTaskCompletedRequest request, StreamObserver<RespondQueryTaskCompletedResponse> observer) {
        Calls.unary(observer, () -> {
            TaskToken token = tokenOf(request.getNamespace(), request.getTaskToken(), false);
            if (token.getQueryId().isEmpty()) {
                throw ServiceErrors.invalidArgument("Error deserializing task token.");
            }
            history.respondQueryTaskCompleted(token, request);
            return RespondQueryTaskCompletedResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteWorkflowExecution(DeleteWorkflowExecutionRequest request, StreamObserver<DeleteWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getWorkflowExecution().getWorkflowId());
            history.deleteWorkflowExecution(ns.getId(), request);
            return DeleteWorkflowExecutionResponse.getDefaultInstance();
        });
    }

    @Override
    public void updateWorkflowExecution(UpdateWorkflowExecutionRequest request, StreamObserver<UpdateWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.update(request);
            return history.updateWorkflowExecution(ns.getId(), request, Calls.pollDeadline(limits.longPollTimeoutMs()));
        });
    }

    @Override
    public void executeMultiOperation(ExecuteMultiOperationRequest request, StreamObserver<ExecuteMultiOperationResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            var ops = request.getOperationsList();
            if (ops.size() != 2 || !ops.get(0).hasStartWorkflow() || !ops.get(1).hasUpdateWorkflow()) {
                throw ServiceErrors.invalidArgument("Operations have to be exactly [Start, Update].");
            }
            StartWorkflowExecutionRequest requested = ops.get(0).getStartWorkflow();
            UpdateWorkflowExecutionRequest update = ops.get(1).getUpdateWorkflow();
            StartWorkflowExecutionRequest start;
            try {
                validate.startWithUpdate(request.getNamespace(), requested);
                start = withTypedSearchAttributes(ns, requested);
            } catch (io.grpc.StatusRuntimeException e) {
                throw ServiceErrors.multiOperation(java.util.List.of(ServiceErrors.statusOf(e), ServiceErrors.operationAborted()));
            }
            try {
                validate.updateWithStart(request.getNamespace(), start, update);
            } catch (io.grpc.StatusRuntimeException e) {
                throw ServiceErrors.multiOperation(java.util.List.of(ServiceErrors.operationAborted(), ServiceErrors.statusOf(e)));
            }
            return history.updateWithStart(ns.getId(), start, update, Calls.pollDeadline(limits.longPollTimeoutMs()));
        });
    }

    @Override
    public void pollWorkflowExecutionUpdate(PollWorkflowExecutionUpdateRequest request, StreamObserver<PollWorkflowExecutionUpdateResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getUpdateRef().getWorkflowExecution().getWorkflowId());
            return history.pollWorkflowExecutionUpdate(ns.getId(), request, Calls.pollDeadline(limits.longPollTimeoutMs()));
        });
    }

    @Override
    public void resetWorkflowExecution(ResetWorkflowExecutionRequest request, StreamObserver<ResetWorkflowExecutionResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getWorkflowExecution().getWorkflowId());
            if (limits.idTooLong(request.getRequestId())) {
                throw ServiceErrors.invalidArgument("RequestId length exceeds limit.");
            }
            return history.resetWorkflowExecution(ns.getId(), request);
        });
    }

    @Override
    public void resetStickyTaskQueue(ResetStickyTaskQueueRequest request, StreamObserver<ResetStickyTaskQueueResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.workflowId(request.getExecution().getWorkflowId());
            history.resetStickyTaskQueue(ns.getId(), request);
            return ResetStickyTaskQueueResponse.getDefaultInstance();
        });
    }

    // ---- workflow tasks ------------------------------------------------------------------------------

    @Override
    public void pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest request, StreamObserver<PollWorkflowTaskQueueResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.taskQueue(request.getTaskQueue(), request.hasTaskQueue());
            validate.identity(request.getIdentity());
            return matching.pollWorkflowTaskQueue(ns.getId(), request, Calls.pollDeadline(limits.longPollTimeoutMs()));
        });
    }

    @Override
    public void respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest request,
                                             StreamObserver<RespondWorkflowTaskCompletedResponse> observer) {
        Calls.unary(observer, () -> {
            TaskToken token = tokenOf(request.getNamespace(), request.getTaskToken(), false);
            validate.identity(request.getIdentity());
            if (request.hasStickyAttributes() && !request.getStickyAttributes().getWorkerTaskQueue().getName().isEmpty()) {
                // Each sticky queue becomes a matching partition: its name obeys the task queue rules.
                validate.taskQueueName(request.getStickyAttributes().getWorkerTaskQueue().getName());
            }
            return history.respondWorkflowTaskCompleted(token, request);
        });
    }

    @Override
    public void respondWorkflowTaskFailed(RespondWorkflowTaskFailedRequest request, StreamObserver<RespondWorkflowTaskFailedResponse> observer) {
        Calls.unary(observer, () -> {
            TaskToken token = tokenOf(request.getNamespace(), request.getTaskToken(), false);
            validate.identity(request.getIdentity());
            history.respondWorkflowTaskFailed(token, request);
            return RespondWorkflowTaskFailedResponse.getDefaultInstance();
        });
    }

    // ---- activity tasks ------------------------------------------------------------------------------

    @Override
    public void pollActivityTaskQueue(PollActivityTaskQueueRequest request, StreamObserver<PollActivityTaskQueueResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            validate.taskQueue(request.getTaskQueue(), request.hasTaskQueue());
            validate.identity(request.getIdentity());
            return matching.pollActivityTaskQueue(ns.getId(), request, Calls.pollDeadline(limits.longPollTimeoutMs()));
        });
    }

    @Override
    public void respondActivityTaskCompleted(RespondActivityTaskCompletedRequest request,
                                             StreamObserver<RespondActivityTaskCompletedResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = ActivityRef.of(tokenOf(request.getNamespace(), request.getTaskToken(), true));
            completeActivity(ref, request.hasResult() ? request.getResult() : null, request.getIdentity());
            return RespondActivityTaskCompletedResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondActivityTaskCompletedById(RespondActivityTaskCompletedByIdRequest request,
                                                 StreamObserver<RespondActivityTaskCompletedByIdResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId());
            completeActivity(ref, request.hasResult() ? request.getResult() : null, request.getIdentity());
            return RespondActivityTaskCompletedByIdResponse.getDefaultInstance();
        });
    }

    /** A result over the blob limit fails the activity (non-retryable), as the official server does. */
    private void completeActivity(ActivityRef ref, Payloads result, String identity) {
        validate.identity(identity);
        if (result != null && result.getSerializedSize() > limits.blobSizeLimitError()) {
            history.respondActivityTaskFailed(ref, serverFailure("Complete result exceeds size limit."), null, identity);
            return;
        }
        history.respondActivityTaskCompleted(ref, result, identity);
    }

    @Override
    public void respondActivityTaskFailed(RespondActivityTaskFailedRequest request, StreamObserver<RespondActivityTaskFailedResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = ActivityRef.of(tokenOf(request.getNamespace(), request.getTaskToken(), true));
            failActivity(ref, request.getFailure(), request.hasLastHeartbeatDetails() ? request.getLastHeartbeatDetails() : null, request.getIdentity());
            return RespondActivityTaskFailedResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondActivityTaskFailedById(RespondActivityTaskFailedByIdRequest request,
                                              StreamObserver<RespondActivityTaskFailedByIdResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId());
            failActivity(ref, request.getFailure(), request.hasLastHeartbeatDetails() ? request.getLastHeartbeatDetails() : null, request.getIdentity());
            return RespondActivityTaskFailedByIdResponse.getDefaultInstance();
        });
    }

    private void failActivity(ActivityRef ref, Failure failure, Payloads lastHeartbeat, String identity) {
        validate.identity(identity);
        if (failure.getSerializedSize() > limits.blobSizeLimitError()) {
            failure = serverFailure("Failure exceeds size limit.");
        }
        history.respondActivityTaskFailed(ref, failure, lastHeartbeat, identity);
    }

    @Override
    public void respondActivityTaskCanceled(RespondActivityTaskCanceledRequest request,
                                            StreamObserver<RespondActivityTaskCanceledResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = ActivityRef.of(tokenOf(request.getNamespace(), request.getTaskToken(), true));
            validate.identity(request.getIdentity());
            history.respondActivityTaskCanceled(ref, request.hasDetails() ? request.getDetails() : null, request.getIdentity());
            return RespondActivityTaskCanceledResponse.getDefaultInstance();
        });
    }

    @Override
    public void respondActivityTaskCanceledById(RespondActivityTaskCanceledByIdRequest request,
                                                StreamObserver<RespondActivityTaskCanceledByIdResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId());
            validate.identity(request.getIdentity());
            history.respondActivityTaskCanceled(ref, request.hasDetails() ? request.getDetails() : null, request.getIdentity());
            return RespondActivityTaskCanceledByIdResponse.getDefaultInstance();
        });
    }

    @Override
    public void recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest request,
                                            StreamObserver<RecordActivityTaskHeartbeatResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = ActivityRef.of(tokenOf(request.getNamespace(), request.getTaskToken(), true));
            return RecordActivityTaskHeartbeatResponse.newBuilder()
                    .setCancelRequested(heartbeat(ref, request.hasDetails() ? request.getDetails() : null, request.getIdentity()))
                    .build();
        });
    }

    @Override
    public void recordActivityTaskHeartbeatById(RecordActivityTaskHeartbeatByIdRequest request,
                                                StreamObserver<RecordActivityTaskHeartbeatByIdResponse> observer) {
        Calls.unary(observer, () -> {
            ActivityRef ref = byId(request.getNamespace(), request.getWorkflowId(), request.getRunId(), request.getActivityId());
            return RecordActivityTaskHeartbeatByIdResponse.newBuilder()
                    .setCancelRequested(heartbeat(ref, request.hasDetails() ? request.getDetails() : null, request.getIdentity()))
                    .build();
        });
    }

    /** Heartbeat details over the blob limit fail the activity and ask the worker to stop. */
    private boolean heartbeat(ActivityRef ref, Payloads details, String identity) {
        validate.identity(identity);
        if (details != null && details.getSerializedSize() > limits.blobSizeLimitError()) {
            history.respondActivityTaskFailed(ref, serverFailure("Heartbeat details exceed size limit."), null, identity);
            return true;
        }
        return history.recordActivityTaskHeartbeat(ref, details);
    }

    @Override
    public void shutdownWorker(ShutdownWorkerRequest request, StreamObserver<ShutdownWorkerResponse> observer) {
        Calls.unary(observer, () -> {
            NamespaceRecord ns = namespaces.resolve(request.getNamespace());
            if (!request.getStickyTaskQueue().isEmpty()) {
                matching.unloadStickyQueue(ns.getId(), request.getStickyTaskQueue());
            }
            return ShutdownWorkerResponse.getDefaultInstance();
        });
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** The start with its search attributes checked against the namespace's and typed. */
    private StartWorkflowExecutionRequest withTypedSearchAttributes(NamespaceRecord ns, StartWorkflowExecutionRequest request) {
        return !request.hasSearchAttributes() ? request
                : request.toBuilder().setSearchAttributes(validate.searchAttributes(ns, request.getSearchAttributes())).build();
    }

    private TaskToken tokenOf(String namespace, com.google.protobuf.ByteString bytes, boolean activity) {
        NamespaceRecord ns = namespaces.resolve(namespace);
        TaskToken token = TaskTokens.parse(bytes);
        if (token.getActivity() != activity) {
            throw ServiceErrors.invalidArgument("Error deserializing task token.");
        }
        if (!token.getNamespaceId().equals(ns.getId())) {
            throw ServiceErrors.invalidArgument("Operation requested with a token from a different namespace.");
        }
        return token;
    }

    private ActivityRef byId(String namespace, String workflowId, String runId, String activityId) {
        NamespaceRecord ns = namespaces.resolve(namespace);
        validate.workflowId(workflowId);
        if (activityId.isEmpty()) {
            throw ServiceErrors.invalidArgument("ActivityId is not set on request.");
        }
        return new ActivityRef(ns.getId(), workflowId, runId, 0, 0, activityId);
    }

    private static Failure serverFailure(String message) {
        return Failure.newBuilder().setMessage(message).setSource("Server")
                .setServerFailureInfo(ServerFailureInfo.newBuilder().setNonRetryable(true)).build();
    }
}
