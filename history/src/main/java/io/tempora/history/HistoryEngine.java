package io.tempora.history;

import io.tempora.common.Limits;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.TaskToken;
import io.tempora.common.rpc.HistoryService;
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
    private final ShardController shards;
    private final Workflows workflows;
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
    private final RebuildVerifier rebuildVerifier;
    private MatchingService matching;

    public HistoryEngine(int numShards, Limits limits, NamespaceRegistry namespaces, ShardStore shardStore,
                         ExecutionStore executions, HistoryTaskStore historyTasks) {
        this.namespaces = namespaces;
        this.shards = new ShardController(numShards, shardStore, historyTasks, executions,
                io.tempora.history.queues.QueueOptions.of(limits.queueMaxLoadedTasks(), limits.timerLookAheadMs(), limits.taskDlqAttempts()));
        this.workflows = new Workflows(shards, executions, new ExecutionNotifier(), limits.mutableStateCacheBytes(), limits.history());
        HistoryPages pages = new HistoryPages(workflows);
        RecordActivityTaskStarted.ScheduledEventCache scheduledEvents = new RecordActivityTaskStarted.ScheduledEventCache(workflows, limits.eventsCacheBytes());
        this.updates = new io.tempora.history.api.UpdateWorkflow(workflows, limits.updates());
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
        this.rebuildVerifier = new RebuildVerifier(executions);
    }

    /** Starts the shards and their queues; matching must be known first (the queues dispatch to it). */
    public void start(MatchingService matchingService) {
        this.matching = matchingService;
        this.queries.setMatching(matchingService);
        TransferTaskExecutor transfer = new TransferTaskExecutor(workflows, matchingService,
                new io.tempora.history.tasks.CrossWorkflowTaskExecutor(workflows, startWorkflow, signals, terminateWorkflow,
                        id -> namespaces.byId(id).map(NamespaceRecord::getName).orElse(id)));
        shards.start(transfer, new TimerTaskExecutor(workflows, transfer));
    }

    public StartWorkflowExecutionResponse startWorkflow(String namespaceId, StartWorkflowExecutionRequest request) {
        return startWorkflow.start(namespaceId, request);
    }

    public RespondWorkflowTaskCompletedResponse respondWorkflowTaskCompleted(TaskToken token, RespondWorkflowTaskCompletedRequest request) {
        return workflowTaskResponses.complete(token, request);
    }

    public void respondWorkflowTaskFailed(TaskToken token, RespondWorkflowTaskFailedRequest request) {
        workflowTaskResponses.fail(token, request);
    }

    public ActivityTaskResponses activities() {
        return activityTaskResponses;
    }

    public io.tempora.history.api.SignalWorkflow signals() {
        return signals;
    }

    public io.tempora.history.api.ResetWorkflow resets() {
        return resets;
    }

    public io.tempora.history.api.UpdateWorkflow updates() {
        return updates;
    }

    public io.tempora.history.api.UpdateWithStart updateWithStart() {
        return updateWithStart;
    }

    public io.tempora.history.api.QueryWorkflow queries() {
        return queries;
    }

    /** The history task dead-letter queue, for operators. */
    public io.tempora.history.shard.DeadLetterQueue deadLetters() {
        return new io.tempora.history.shard.DeadLetterQueue(shards);
    }

    public TerminateWorkflow terminate() {
        return terminateWorkflow;
    }

    public GetWorkflowExecutionHistoryResponse getHistory(String namespaceId, GetWorkflowExecutionHistoryRequest request, long deadlineMs) {
        return getHistory.get(namespaceId, request, deadlineMs);
    }

    public GetWorkflowExecutionHistoryReverseResponse getHistoryReverse(String namespaceId, GetWorkflowExecutionHistoryReverseRequest request) {
        return getHistory.reverse(namespaceId, request);
    }

    public DescribeWorkflowExecutionResponse describe(String namespaceId, String workflowId, String runId) {
        return describe.describe(namespaceId, workflowId, runId);
    }

    public WorkflowKey resolve(String namespaceId, String workflowId, String runId) {
        return workflows.resolve(namespaceId, workflowId, runId);
    }

    /**
     * DeleteWorkflowExecution: a running run is terminated first, then its state and history are removed: at once,
     * or by its close task once that told the parent and applied the parent close policies.
     */
    public void delete(WorkflowKey key) {
        boolean now = workflows.update(key, ms -> {
            if (ms.isRunning()) {
                io.tempora.history.workflow.ExecutionStateMachine.terminate(ms, "Delete workflow execution", null, io.tempora.history.workflow.ServerIdentity.HISTORY_SERVICE);
            }
            return io.tempora.history.workflow.ChildStateMachine.deleteOrDefer(ms);
        });
        if (now) {
            workflows.delete(key);
        }
    }

    /** ResetStickyTaskQueue: the next workflow task goes to the normal queue with full history. */
    public void resetSticky(String namespaceId, String workflowId, String runId) {
        WorkflowKey key = workflows.resolve(namespaceId, workflowId, runId);
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                throw io.tempora.common.ServiceErrors.workflowCompleted();
            }
            WorkflowTaskStateMachine.clearSticky(ms);
            return null;
        });
    }

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
        shards.close();
    }
}
