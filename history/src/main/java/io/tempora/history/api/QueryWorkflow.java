package io.tempora.history.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.tempora.common.ServiceErrors;
import io.tempora.common.TaskTokens;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.StickyInfo;
import io.tempora.common.proto.TaskToken;
import io.tempora.common.rpc.AddTaskRequest;
import io.tempora.common.rpc.MatchingService;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.enums.v1.QueryResultType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.errordetails.v1.QueryFailedFailure;
import io.temporal.api.query.v1.QueryRejected;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.RespondQueryTaskCompletedRequest;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * QueryWorkflow through a query task: the query goes to the sticky queue of the worker that has the run cached (it
 * answers from its cache), else, or when that worker does not answer in its sticky schedule-to-start timeout, to the
 * workflow's task queue, where a worker replays the history; answers come with RespondQueryTaskCompleted.
 * Query tasks live in memory only: a query nobody answers before the caller's deadline fails.
 */
public final class QueryWorkflow {
    private final Workflows workflows;
    private final HistoryPages pages;
    private final int pageSize;
    /** How long a sticky worker gets to answer when its task queue names no schedule-to-start timeout. */
    private static final long DEFAULT_STICKY_QUERY_TIMEOUT_MS = 5_000;

    private final ConcurrentMap<String, CompletableFuture<RespondQueryTaskCompletedRequest>> pending = new ConcurrentHashMap<>();
    private MatchingService matching;

    public QueryWorkflow(Workflows workflows, HistoryPages pages, int pageSize) {
        this.workflows = workflows;
        this.pages = pages;
        this.pageSize = pageSize;
    }

    public void setMatching(MatchingService matching) {
        this.matching = matching;
    }

    public QueryWorkflowResponse query(String namespaceId, QueryWorkflowRequest request, long deadlineMs) {
        WorkflowKey key = workflows.resolve(namespaceId, request.getExecution().getWorkflowId(), request.getExecution().getRunId());
        MutableStateRecord state = workflows.get(key);
        WorkflowExecutionStatus status = WorkflowExecutionStatus.forNumber(state.getExecution().getStatus());
        if (rejected(request.getQueryRejectCondition(), status)) {
            return QueryWorkflowResponse.newBuilder().setQueryRejected(QueryRejected.newBuilder().setStatus(status)).build();
        }
        String normalQueue = state.getExecution().getTaskQueue();
        if (!matching.hasWorkflowPoller(namespaceId, normalQueue)
                && (!state.hasSticky() || !matching.hasWorkflowPoller(namespaceId, state.getSticky().getTaskQueue()))) {
            throw ServiceErrors.failedPrecondition("No poller seen for task queue recently, worker may be down.");
        }
        // Like the official server, a query sees the state after a workflow task that is pending now.
        state = waitForPendingWorkflowTask(key, deadlineMs);
        StickyInfo sticky = state.getSticky();
        if (!sticky.getTaskQueue().isEmpty()) {
            // The worker that has the run cached answers without replaying; if it is gone, the normal queue does.
            long stickyDeadline = System.currentTimeMillis() + stickyTimeout(sticky);
            try {
                return ask(namespaceId, key, request, sticky.getTaskQueue(), true, Math.min(deadlineMs, stickyDeadline));
            } catch (MatchingService.StickyWorkerUnavailableException e) {
                clearSticky(key);
            } catch (TimeoutException e) {
                if (deadlineMs <= stickyDeadline) {
                    // The caller's own deadline ran out first: that says nothing about the sticky worker.
                    throw Status.DEADLINE_EXCEEDED.withDescription("query was not answered in time").asRuntimeException();
                }
                clearSticky(key);
            }
        }
        if (!matching.hasWorkflowPoller(namespaceId, normalQueue)) {
            throw ServiceErrors.failedPrecondition("No poller seen for task queue recently, worker may be down.");
        }
        try {
            return ask(namespaceId, key, request, normalQueue, false, deadlineMs);
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("query was not answered in time: no worker polled task queue "
                    + normalQueue + " or the worker did not answer").asRuntimeException();
        } catch (MatchingService.StickyWorkerUnavailableException e) {
            throw ServiceErrors.internal("query failed: " + e.getMessage());
        }
    }

    private static long stickyTimeout(StickyInfo sticky) {
        return sticky.getScheduleToStartTimeoutMs() > 0 ? sticky.getScheduleToStartTimeoutMs() : DEFAULT_STICKY_QUERY_TIMEOUT_MS;
    }

    /** The sticky worker did not answer: the run's next workflow task goes to the normal queue (ResetStickyTaskQueue). */
    private void clearSticky(WorkflowKey key) {
        workflows.update(key, ms -> {
            if (ms.isRunning()) {
                io.tempora.history.workflow.WorkflowTaskStateMachine.clearSticky(ms);
            }
            return null;
        });
    }

    /** Sends one query task to a task queue and waits for the worker's answer until {@code deadlineMs}. */
    private QueryWorkflowResponse ask(String namespaceId, WorkflowKey key, QueryWorkflowRequest request, String taskQueue,
                                      boolean sticky, long deadlineMs)
            throws TimeoutException, MatchingService.StickyWorkerUnavailableException {
        String queryId = UUID.randomUUID().toString();
        CompletableFuture<RespondQueryTaskCompletedRequest> answer = new CompletableFuture<>();
        pending.put(queryId, answer);
        try {
            MatchingTask task = MatchingTask.newBuilder()
                    .setNamespaceId(namespaceId).setWorkflowId(key.workflowId()).setRunId(key.runId())
                    .setQueryId(queryId).setQuery(request.getQuery().toByteString())
                    .setCreateTimeMs(System.currentTimeMillis()).build();
            matching.addTask(new AddTaskRequest(namespaceId, taskQueue, false, sticky, task));
            RespondQueryTaskCompletedRequest r = answer.get(Math.max(0, deadlineMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (r.getCompletedType() == QueryResultType.QUERY_RESULT_TYPE_ANSWERED) {
                return QueryWorkflowResponse.newBuilder().setQueryResult(r.getQueryResult()).build();
            }
            QueryFailedFailure.Builder detail = QueryFailedFailure.newBuilder();
            if (r.hasFailure()) {
                detail.setFailure(r.getFailure());
            }
            throw ServiceErrors.of(com.google.rpc.Code.INVALID_ARGUMENT, r.getErrorMessage(), detail.build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServiceErrors.unavailable("interrupted");
        } catch (ExecutionException e) {
            throw ServiceErrors.internal("query failed: " + e.getMessage());
        } finally {
            pending.remove(queryId);
        }
    }

    private MutableStateRecord waitForPendingWorkflowTask(WorkflowKey key, long deadlineMs) {
        MutableStateRecord state = workflows.awaitState(key, st -> !st.hasWorkflowTask()
                || st.getExecution().getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE, deadlineMs);
        if (state.hasWorkflowTask() && state.getExecution().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE) {
            throw Status.DEADLINE_EXCEEDED.withDescription("query timed out waiting for the workflow task in progress").asRuntimeException();
        }
        return state;
    }

    private static boolean rejected(QueryRejectCondition condition, WorkflowExecutionStatus status) {
        return switch (condition) {
            case QUERY_REJECT_CONDITION_NOT_OPEN -> status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
            case QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY -> status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                    && status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
            default -> false;
        };
    }

    /**
     * Builds the poll response of a query task; NOT_FOUND when its caller gave up already. A sticky worker gets no
     * history (it has the run cached, or fetches the history itself); any other worker gets the whole history.
     */
    public PollWorkflowTaskQueueResponse pollResponse(String namespaceId, MatchingTask task, boolean stickyPoll) {
        if (!pending.containsKey(task.getQueryId())) {
            throw ServiceErrors.notFound("query " + task.getQueryId() + " is no longer waiting");
        }
        WorkflowKey key = new WorkflowKey(namespaceId, task.getWorkflowId(), task.getRunId());
        MutableStateRecord state = workflows.get(key);
        ExecutionInfo info = state.getExecution();
        // The worker replays the history up to the last completed workflow task's events, not a task in flight.
        long end = state.hasWorkflowTask() && state.getWorkflowTask().getAttempt() <= 1
                ? state.getWorkflowTask().getScheduledEventId() : state.getNextEventId();
        HistoryPages.Page page = stickyPoll ? new HistoryPages.Page(io.temporal.api.history.v1.History.getDefaultInstance(),
                com.google.protobuf.ByteString.EMPTY) : pages.read(key, 1, end, java.util.List.of(), pageSize);
        TaskToken token = TaskToken.newBuilder().setNamespaceId(namespaceId).setWorkflowId(key.workflowId()).setRunId(key.runId())
                .setScheduledEventId(1).setQueryId(task.getQueryId()).build();
        try {
            return PollWorkflowTaskQueueResponse.newBuilder()
                    .setTaskToken(TaskTokens.serialize(token))
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId()))
                    .setWorkflowType(WorkflowType.newBuilder().setName(info.getWorkflowType()))
                    .setPreviousStartedEventId(info.getLastCompletedWftStartedEventId())
                    .setHistory(page.history())
                    .setNextPageToken(page.nextPageToken())
                    .setQuery(WorkflowQuery.parseFrom(task.getQuery()))
                    .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(info.getTaskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                    .build();
        } catch (InvalidProtocolBufferException e) {
            throw ServiceErrors.internal("corrupt query task");
        }
    }

    /** RespondQueryTaskCompleted: hands the worker's answer to the waiting caller. */
    public void answer(TaskToken token, RespondQueryTaskCompletedRequest request) {
        CompletableFuture<RespondQueryTaskCompletedRequest> waiting = pending.get(token.getQueryId());
        if (waiting == null) {
            throw ServiceErrors.notFound("query task not found, or already expired");
        }
        waiting.complete(request);
    }
}
