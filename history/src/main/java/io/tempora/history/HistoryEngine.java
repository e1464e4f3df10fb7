package io.tempora.history;

import io.tempora.common.Limits;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.TaskToken;
import io.tempora.common.rpc.ActivityRef;
import io.tempora.common.rpc.Caller;
import io.tempora.common.rpc.ChildCompletion;
import io.tempora.common.rpc.HistoryService;
import io.tempora.common.rpc.ParentInfo;
import io.tempora.history.workflow.RunTarget;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflowservice.v1.*;
import io.tempora.common.rpc.MatchingService;
import io.tempora.history.api.ActivityTaskResponses;
import io.tempora.history.api.DescribeWorkflow;
import io.tempora.history.api.GetWorkflowHistory;
import io.tempora.history.api.HistoryPages;
import io.tempora.history.api.RecordActivityTaskStarted;
import io.tempora.history.api.RecordWorkflowTaskStarted;
import io.tempora.history.api.StartWorkflow;
import io.tempora.history.api.TerminateWorkflow;
import io.tempora.history.api.WorkflowTaskResponses;
import io.tempora.history.command.CommandHandlers;
import io.tempora.history.shard.ShardController;
import io.tempora.history.tasks.TimerTaskExecutor;
import io.tempora.history.tasks.TransferTaskExecutor;
import io.tempora.history.workflow.ExecutionNotifier;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.WorkflowTaskStateMachine;
import io.tempora.history.workflow.Workflows;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.NamespaceRegistry;
import io.tempora.persistence.HistoryTaskStore;
import io.tempora.persistence.ShardStore;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;

/**
 * The history role: the entry point for every operation on workflow runs. Each operation lives in its own
 * class under {@code history.api}; this wires them to the shards, the stores and matching.
 */
public final class HistoryEngine implements HistoryService, AutoCloseable {
    private final NamespaceRegistry namespaces;
    private final io.tempora.persistence.visibility.VisibilityStore visibility;
    private final ShardController shards;
    private final Workflows workflows;
    private final io.tempora.history.workflow.RunDeleter deleter;
    private final StartWorkflow startWorkflow;
    private final TerminateWorkflow terminateWorkflow;
    private final RecordWorkflowTaskStarted recordWorkflowTaskStarted;
    private final RecordActivityTaskStarted recordActivityTaskStarted;
    private final WorkflowTaskResponses workflowTaskResponses;
    private final ActivityTaskResponses activityTaskResponses;
    private final GetWorkflowHistory getHistory;
    private final DescribeWorkflow describe;
    private final io.tempora.history.api.SignalWorkflow signals;
    private final io.tempora.history.api.QueryWorkflow queries;
    private final io.tempora.history.api.UpdateWorkflow updates;
    private final io.tempora.history.api.ResetWorkflow resets;
    private final io.tempora.history.api.UpdateWithStart updateWithStart;
    private final io.tempora.history.api.ChildCompletions childCompletions;
    private final RebuildVerifier rebuildVerifier;
    private final io.tempora.history.namespace.NamespaceReclaimer reclaimer;
    private final io.tempora.persistence.ClusterMetadataStore clusterMetadata;
    private MatchingService matching;

    public HistoryEngine(int numShards, Limits limits, NamespaceRegistry namespaces, ShardStore shardStore,
                         ExecutionStore executions, HistoryTaskStore historyTasks, io.tempora.persistence.visibility.VisibilityStore visibility,
                         io.tempora.persistence.ClusterMetadataStore clusterMetadata, io.tempora.persistence.TaskStore taskStore) {
        this.namespaces = namespaces;
        this.clusterMetadata = clusterMetadata;
        this.visibility = visibility;
        this.shards = new ShardController(numShards, shardStore, historyTasks, executions,
                io.tempora.history.queues.QueueOptions.of(limits.queueMaxLoadedTasks(), limits.timerLookAheadMs(), limits.taskDlqAttempts()));
        this.workflows = new Workflows(shards, executions, new ExecutionNotifier(), limits.mutableStateCacheBytes(), limits.history());
        HistoryPages pages = new HistoryPages(workflows);
        RecordActivityTaskStarted.ScheduledEventCache scheduledEvents = new RecordActivityTaskStarted.ScheduledEventCache(workflows, limits.eventsCacheBytes());
        this.updates = new io.tempora.history.api.UpdateWorkflow(workflows, limits.updates());
        var retention = new io.tempora.history.workflow.RetentionTimer(namespaces::byId, limits.retention().timerJitterMs());
        workflows.beforeCommit(ms -> {
            if (ms.loadedDbVersion() == 0) {
                refuseRunsOfDeletedNamespace(ms.key().namespaceId());
            }
            retention.addIfClosing(ms);
        });
        this.deleter = new io.tempora.history.workflow.RunDeleter(workflows);
        workflows.onCommit((key, ms) -> {
            scheduledEvents.remember(key, ms.newEvents());
            if (!ms.isRunning()) {
                updates.abortAll(key, ms); // a closed run answers the updates it had in flight
            }
        });
        this.terminateWorkflow = new TerminateWorkflow(workflows);
        this.startWorkflow = new StartWorkflow(workflows, terminateWorkflow);
        this.recordWorkflowTaskStarted = new RecordWorkflowTaskStarted(workflows, pages, limits.historyPageSize(), updates);
        this.recordActivityTaskStarted = new RecordActivityTaskStarted(workflows, scheduledEvents);
        this.workflowTaskResponses = new WorkflowTaskResponses(workflows, new CommandHandlers(limits, namespaces::byId), recordWorkflowTaskStarted, updates,
                recordActivityTaskStarted, id -> namespaces.byId(id).map(NamespaceRecord::getName).orElse(id), limits.eagerActivityExecution());
        this.activityTaskResponses = new ActivityTaskResponses(workflows);
        this.getHistory = new GetWorkflowHistory(workflows, pages, limits.historyLongPollMs());
        this.describe = new DescribeWorkflow(workflows);
        this.resets = new io.tempora.history.api.ResetWorkflow(workflows);
        this.queries = new io.tempora.history.api.QueryWorkflow(workflows, pages, limits.historyPageSize());
        this.signals = new io.tempora.history.api.SignalWorkflow(workflows, startWorkflow, limits.maxSignalsPerExecution());
        this.updateWithStart = new io.tempora.history.api.UpdateWithStart(startWorkflow, updates);
        this.childCompletions = new io.tempora.history.api.ChildCompletions(workflows);
        this.rebuildVerifier = new RebuildVerifier(executions);
        this.reclaimer = new io.tempora.history.namespace.NamespaceReclaimer(namespaces, executions, visibility, taskStore, deleter,
                numShards, System::currentTimeMillis);
    }

    /**
     * Starts the shards and their queues; matching must be known first (the queues dispatch to it), and the router
     * through which tasks reach other workflows (they may live on another shard).
     */
    public void start(MatchingService matchingService, HistoryService router) {
        this.matching = matchingService;
        this.queries.setMatching(matchingService);
        TransferTaskExecutor transfer = new TransferTaskExecutor(workflows, matchingService,
                new io.tempora.history.tasks.CrossWorkflowTaskExecutor(workflows, router,
                        id -> namespaces.byId(id).map(NamespaceRecord::getName).orElse(id)));
        var visibilityExecutor = new io.tempora.history.tasks.VisibilityTaskExecutor(workflows, namespaces, visibility);
        shards.start(transfer, new TimerTaskExecutor(workflows, transfer, deleter), visibilityExecutor);
        reclaimer.start();
        new io.tempora.history.tasks.VisibilityBackfill(clusterMetadata, visibility, visibilityExecutor).start();
    }

    /** A start that resolved its namespace just before DeleteNamespace marked it must not leave a run behind. */
    private void refuseRunsOfDeletedNamespace(String namespaceId) {
        namespaces.byId(namespaceId).filter(ns -> ns.getState() == io.temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_DELETED_VALUE)
                .ifPresent(ns -> {
                    throw io.tempora.common.ServiceErrors.namespaceInvalidState(ns.getName(), io.temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_DELETED,
                            java.util.List.of(io.temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED));
                });
    }

    /** The shard that owns a workflow id (for the router). */
    public int shardOf(String namespaceId, String workflowId) {
        return shards.shardFor(namespaceId, workflowId).shardId();
    }

    // ---- clients and other workflows ---------------------------------------------------------------

    @Override
    public StartWorkflowExecutionResponse startWorkflowExecution(String namespaceId, StartWorkflowExecutionRequest request) {
        return startWorkflow.start(namespaceId, request);
    }

    @Override
    public StartWorkflowExecutionResponse startChildWorkflowExecution(String namespaceId, StartWorkflowExecutionRequest request, ParentInfo parent) {
        return startWorkflow.startChild(namespaceId, request, parent);
    }

    @Override
    public SignalWithStartWorkflowExecutionResponse signalWithStartWorkflowExecution(String namespaceId, SignalWithStartWorkflowExecutionRequest request) {
        return signals.signalWithStart(namespaceId, request);
    }

    @Override
    public void signalWorkflowExecution(String namespaceId, SignalWorkflowExecutionRequest r, Caller caller) {
        WorkflowKey key = workflows.resolve(namespaceId, r.getWorkflowExecution().getWorkflowId(), r.getWorkflowExecution().getRunId());
        signals.signal(key, new io.tempora.history.api.SignalWorkflow.Signal(r.getSignalName(), r.hasInput() ? r.getInput() : null,
                r.getIdentity(), r.hasHeader() ? r.getHeader() : null, r.getRequestId()), target("", caller));
    }

    @Override
    public void requestCancelWorkflowExecution(String namespaceId, RequestCancelWorkflowExecutionRequest r, Caller caller) {
        onRun(namespaceId, r.getWorkflowExecution(), r.getFirstExecutionRunId(),
                key -> signals.requestCancel(key, r.getReason(), r.getIdentity(), target(r.getFirstExecutionRunId(), caller)));
    }

    @Override
    public void terminateWorkflowExecution(String namespaceId, TerminateWorkflowExecutionRequest r, Caller caller) {
        onRun(namespaceId, r.getWorkflowExecution(), r.getFirstExecutionRunId(), key -> terminateWorkflow.terminate(key, r.getReason(),
                r.hasDetails() ? r.getDetails() : null, r.getIdentity(), target(r.getFirstExecutionRunId(), caller)));
    }

    private static RunTarget target(String firstExecutionRunId, Caller caller) {
        WorkflowKey parent = caller.childWorkflowOnly()
                ? new WorkflowKey(caller.namespaceId(), caller.workflow().getWorkflowId(), caller.workflow().getRunId()) : null;
        return new RunTarget(firstExecutionRunId, parent);
    }

    /**
     * Runs {@code action} on the run a request names. With first_execution_run_id it is the chain's current run
     * whatever run id is given; a run that closes meanwhile may have continued as new, so the chain is followed.
     */
    private void onRun(String namespaceId, WorkflowExecution execution, String firstExecutionRunId,
                       java.util.function.Consumer<WorkflowKey> action) {
        if (firstExecutionRunId.isEmpty()) {
            action.accept(workflows.resolve(namespaceId, execution.getWorkflowId(), execution.getRunId()));
            return;
        }
        for (int attempt = 0; ; attempt++) {
            WorkflowKey key = workflows.resolve(namespaceId, execution.getWorkflowId(), "");
            try {
                action.accept(key);
                return;
            } catch (io.grpc.StatusRuntimeException e) {
                boolean moved = workflows.current(namespaceId, execution.getWorkflowId()).map(c -> !c.runId().equals(key.runId())).orElse(false);
                if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND || !moved || attempt >= 4) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void deleteWorkflowExecution(String namespaceId, DeleteWorkflowExecutionRequest request) {
        delete(workflows.resolve(namespaceId, request.getWorkflowExecution().getWorkflowId(), request.getWorkflowExecution().getRunId()));
    }

    @Override
    public DescribeWorkflowExecutionResponse describeWorkflowExecution(String namespaceId, DescribeWorkflowExecutionRequest request) {
        return describe.describe(namespaceId, request.getExecution().getWorkflowId(), request.getExecution().getRunId());
    }

    @Override
    public GetWorkflowExecutionHistoryResponse getWorkflowExecutionHistory(String namespaceId, GetWorkflowExecutionHistoryRequest request, long deadlineMs) {
        return getHistory.get(namespaceId, request, deadlineMs);
    }

    @Override
    public GetWorkflowExecutionHistoryReverseResponse getWorkflowExecutionHistoryReverse(String namespaceId,
                                                                                         GetWorkflowExecutionHistoryReverseRequest request) {
        return getHistory.reverse(namespaceId, request);
    }

    @Override
    public QueryWorkflowResponse queryWorkflow(String namespaceId, QueryWorkflowRequest request, long deadlineMs) {
        return queries.query(namespaceId, request, deadlineMs);
    }

    @Override
    public UpdateWorkflowExecutionResponse updateWorkflowExecution(String namespaceId, UpdateWorkflowExecutionRequest request, long deadlineMs) {
        return updates.update(namespaceId, request, deadlineMs);
    }

    @Override
    public ExecuteMultiOperationResponse updateWithStart(String namespaceId, StartWorkflowExecutionRequest start,
                                                         UpdateWorkflowExecutionRequest update, long deadlineMs) {
        return updateWithStart.execute(namespaceId, start, update, deadlineMs);
    }

    @Override
    public PollWorkflowExecutionUpdateResponse pollWorkflowExecutionUpdate(String namespaceId, PollWorkflowExecutionUpdateRequest request,
                                                                           long deadlineMs) {
        return updates.poll(namespaceId, request, deadlineMs);
    }

    @Override
    public ResetWorkflowExecutionResponse resetWorkflowExecution(String namespaceId, ResetWorkflowExecutionRequest request) {
        return resets.reset(namespaceId, request);
    }

    /** ResetStickyTaskQueue: the next workflow task goes to the normal queue with full history. */
    @Override
    public void resetStickyTaskQueue(String namespaceId, ResetStickyTaskQueueRequest request) {
        WorkflowKey key = workflows.resolve(namespaceId, request.getExecution().getWorkflowId(), request.getExecution().getRunId());
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                throw io.tempora.common.ServiceErrors.workflowCompleted();
            }
            WorkflowTaskStateMachine.clearSticky(ms);
            return null;
        });
    }

    @Override
    public void recordChildExecutionCompleted(ChildCompletion completion) {
        childCompletions.record(completion);
    }

    // ---- workers -----------------------------------------------------------------------------------

    @Override
    public RespondWorkflowTaskCompletedResponse respondWorkflowTaskCompleted(TaskToken token, RespondWorkflowTaskCompletedRequest request) {
        return workflowTaskResponses.complete(token, request);
    }

    @Override
    public void respondWorkflowTaskFailed(TaskToken token, RespondWorkflowTaskFailedRequest request) {
        workflowTaskResponses.fail(token, request);
    }

    @Override
    public void respondQueryTaskCompleted(TaskToken token, RespondQueryTaskCompletedRequest request) {
        queries.answer(token, request);
    }

    @Override
    public void respondActivityTaskCompleted(ActivityRef activity, Payloads result, String identity) {
        activityTaskResponses.completed(activity, result, identity);
    }

    @Override
    public void respondActivityTaskFailed(ActivityRef activity, Failure failure, Payloads lastHeartbeatDetails, String identity) {
        activityTaskResponses.failed(activity, failure, lastHeartbeatDetails, identity);
    }

    @Override
    public void respondActivityTaskCanceled(ActivityRef activity, Payloads details, String identity) {
        activityTaskResponses.canceled(activity, details, identity);
    }

    @Override
    public boolean recordActivityTaskHeartbeat(ActivityRef activity, Payloads details) {
        return activityTaskResponses.heartbeat(activity, details);
    }

    /** What history holds in memory now (for operators and tests). */
    public io.tempora.common.proto.admin.DescribeServerResponse.Builder describeMemory() {
        return io.tempora.common.proto.admin.DescribeServerResponse.newBuilder()
                .setLoadedTransferTasks(shards.loadedTasks(io.tempora.history.queues.TaskCategory.TRANSFER))
                .setLoadedTimerTasks(shards.loadedTasks(io.tempora.history.queues.TaskCategory.TIMER))
                .setLoadedVisibilityTasks(shards.loadedTasks(io.tempora.history.queues.TaskCategory.VISIBILITY))
                .setCachedRuns(workflows.cachedRuns())
                .setCachedRunBytes(workflows.cachedRunBytes());
    }

    /** The history task dead-letter queue, for operators. */
    public io.tempora.history.shard.DeadLetterQueue deadLetters() {
        return new io.tempora.history.shard.DeadLetterQueue(shards);
    }

    /**
     * DeleteWorkflowExecution: a running run is terminated first, then its state and history are removed: at once,
     * or by its close task once that told the parent and applied the parent close policies.
     */
    private void delete(WorkflowKey key) {
        deleter.delete(key);
    }

    // ---- matching ----------------------------------------------------------------------------------

    @Override
    public PollWorkflowTaskQueueResponse recordWorkflowTaskStarted(String namespaceId, MatchingTask task, PollWorkflowTaskQueueRequest poll) {
        boolean sticky = poll.getTaskQueue().getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY;
        if (!task.getQueryId().isEmpty()) {
            return queries.pollResponse(namespaceId, task, sticky);
        }
        return recordWorkflowTaskStarted.record(namespaceId, task, poll.getIdentity(), sticky);
    }

    @Override
    public PollActivityTaskQueueResponse recordActivityTaskStarted(String namespaceId, MatchingTask task, PollActivityTaskQueueRequest poll) {
        String namespaceName = namespaces.byId(namespaceId).map(NamespaceRecord::getName).orElse(poll.getNamespace());
        return recordActivityTaskStarted.record(namespaceName, namespaceId, task, poll.getIdentity());
    }

    public java.util.List<String> verifyRebuilds() {
        return rebuildVerifier.verifyAll();
    }

    @Override
    public void close() {
        reclaimer.close();
        shards.close();
    }
}
