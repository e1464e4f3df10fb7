package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TimerTaskType;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import io.temporal.api.history.v1.WorkflowExecutionCanceledEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionCompletedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionFailedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionTerminatedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionTimedOutEventAttributes;

/** Start and close of a workflow run. */
public final class ExecutionStateMachine {
    private ExecutionStateMachine() {}

    public static void start(MutableState ms, WorkflowExecutionStartedEventAttributes attrs, String requestId) {
        start(ms, attrs, requestId, m -> { });
    }

    /** {@code beforeFirstTask} adds events between the start and the first workflow task (signal-with-start). */
    public static void start(MutableState ms, WorkflowExecutionStartedEventAttributes attrs, String requestId,
                             java.util.function.Consumer<MutableState> beforeFirstTask) {
        ms.record().getExecutionBuilder().setCreateRequestId(requestId);
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, e -> e.setWorkflowExecutionStartedEventAttributes(attrs));
        beforeFirstTask.accept(ms);
        if (!ms.hasPendingWorkflowTask()) {
            WorkflowTaskStateMachine.schedule(ms, 1);
        }
        long runExpiration = ms.execution().getRunExpirationMs();
        long execExpiration = ms.execution().getExecutionExpirationMs();
        long deadline = runExpiration == 0 ? execExpiration : execExpiration == 0 ? runExpiration : Math.min(runExpiration, execExpiration);
        if (deadline > 0) {
            ms.addTimerTask(TimerTask.newBuilder()
                    .setType(TimerTaskType.TIMER_TASK_TYPE_WORKFLOW_RUN_TIMEOUT)
                    .setFireTimeMs(deadline));
        }
    }

    public static void complete(MutableState ms, Payloads result, long wftCompletedEventId) {
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, e -> {
            WorkflowExecutionCompletedEventAttributes.Builder a = WorkflowExecutionCompletedEventAttributes.newBuilder()
                    .setWorkflowTaskCompletedEventId(wftCompletedEventId);
            if (result != null) {
                a.setResult(result);
            }
            e.setWorkflowExecutionCompletedEventAttributes(a);
        });
        ChildStateMachine.closeTask(ms);
    }

    public static void fail(MutableState ms, Failure failure, long wftCompletedEventId) {
        RetryState retryState = ms.execution().getRetryPolicy().isEmpty()
                ? RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET : RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE;
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, e -> e.setWorkflowExecutionFailedEventAttributes(
                WorkflowExecutionFailedEventAttributes.newBuilder()
                        .setFailure(failure)
                        .setRetryState(retryState)
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId)));
        ChildStateMachine.closeTask(ms);
    }

    public static void cancel(MutableState ms, Payloads details, long wftCompletedEventId) {
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, e -> {
            WorkflowExecutionCanceledEventAttributes.Builder a = WorkflowExecutionCanceledEventAttributes.newBuilder()
                    .setWorkflowTaskCompletedEventId(wftCompletedEventId);
            if (details != null) {
                a.setDetails(details);
            }
            e.setWorkflowExecutionCanceledEventAttributes(a);
        });
        ChildStateMachine.closeTask(ms);
    }

    /** The run (or execution) deadline passed: buffered events are written first, then the timeout. */
    public static void timeOut(MutableState ms) {
        ms.flushBufferedEvents();
        boolean executionExpired = ms.execution().getExecutionExpirationMs() > 0 && ms.now() >= ms.execution().getExecutionExpirationMs();
        RetryState retryState = executionExpired || !ms.execution().getRetryPolicy().isEmpty()
                ? RetryState.RETRY_STATE_TIMEOUT : RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET;
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, e -> e.setWorkflowExecutionTimedOutEventAttributes(
                WorkflowExecutionTimedOutEventAttributes.newBuilder().setRetryState(retryState)));
        ChildStateMachine.closeTask(ms);
    }

    public static Failure workflowTimeoutFailure() {
        return Failure.newBuilder().setMessage("workflow timeout").setSource("Server")
                .setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder().setTimeoutType(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE))
                .build();
    }

    public static void terminate(MutableState ms, String reason, Payloads details, String identity) {
        ms.flushBufferedEvents();
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, e -> {
            WorkflowExecutionTerminatedEventAttributes.Builder a = WorkflowExecutionTerminatedEventAttributes.newBuilder()
                    .setReason(reason)
                    .setIdentity(identity);
            if (details != null) {
                a.setDetails(details);
            }
            e.setWorkflowExecutionTerminatedEventAttributes(a);
        });
        ChildStateMachine.closeTask(ms);
    }

    /**
     * Closes this run as continued-as-new and prepares the next run (same workflow id, a new run id), which is
     * committed in the same transaction.
     */
    public static void continueAsNew(MutableState ms, io.temporal.api.command.v1.ContinueAsNewWorkflowExecutionCommandAttributes a,
                                     long wftCompletedEventId) {
        io.tempora.common.proto.ExecutionInfoOrBuilder e = ms.execution();
        String newRunId = java.util.UUID.randomUUID().toString();
        io.temporal.api.common.v1.WorkflowType type = a.getWorkflowType().getName().isEmpty()
                ? io.temporal.api.common.v1.WorkflowType.newBuilder().setName(e.getWorkflowType()).build() : a.getWorkflowType();
        io.temporal.api.taskqueue.v1.TaskQueue queue = a.getTaskQueue().getName().isEmpty()
                ? io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(e.getTaskQueue()).build() : a.getTaskQueue();
        long runTimeout = Times.toMillis(a.getWorkflowRunTimeout()) > 0 ? Times.toMillis(a.getWorkflowRunTimeout()) : e.getRunTimeoutMs();
        long taskTimeout = Times.toMillis(a.getWorkflowTaskTimeout()) > 0 ? Times.toMillis(a.getWorkflowTaskTimeout()) : e.getTaskTimeoutMs();
        io.temporal.api.common.v1.Memo memo = a.hasMemo() ? a.getMemo() : StateCodec.memo(ms.record().getExecution());
        io.temporal.api.common.v1.SearchAttributes search = a.hasSearchAttributes() ? a.getSearchAttributes()
                : StateCodec.searchAttributes(ms.record().getExecution());
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ev -> {
            var c = io.temporal.api.history.v1.WorkflowExecutionContinuedAsNewEventAttributes.newBuilder()
                    .setNewExecutionRunId(newRunId)
                    .setWorkflowType(type)
                    .setTaskQueue(queue)
                    .setWorkflowRunTimeout(Times.duration(runTimeout))
                    .setWorkflowTaskTimeout(Times.duration(taskTimeout))
                    .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                    .setBackoffStartInterval(a.getBackoffStartInterval())
                    .setInitiator(a.getInitiator())
                    .setMemo(memo)
                    .setSearchAttributes(search);
            if (a.hasInput()) {
                c.setInput(a.getInput());
            }
            if (a.hasHeader()) {
                c.setHeader(a.getHeader());
            }
            if (a.hasFailure()) {
                c.setFailure(a.getFailure());
            }
            if (a.hasLastCompletionResult()) {
                c.setLastCompletionResult(a.getLastCompletionResult());
            }
            ev.setWorkflowExecutionContinuedAsNewEventAttributes(c);
        });
        WorkflowExecutionStartedEventAttributes.Builder started = WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(type)
                .setTaskQueue(queue)
                .setWorkflowExecutionTimeout(Times.duration(e.getExecutionTimeoutMs()))
                .setWorkflowRunTimeout(Times.duration(runTimeout))
                .setWorkflowTaskTimeout(Times.duration(taskTimeout))
                .setContinuedExecutionRunId(ms.key().runId())
                .setInitiator(a.getInitiator())
                .setOriginalExecutionRunId(newRunId)
                .setFirstExecutionRunId(e.getFirstExecutionRunId())
                .setAttempt(1)
                .setWorkflowId(ms.key().workflowId())
                .setMemo(memo)
                .setSearchAttributes(search);
        if (e.getExecutionExpirationMs() > 0) {
            started.setWorkflowExecutionExpirationTime(Times.timestamp(e.getExecutionExpirationMs()));
        }
        if (a.hasInput()) {
            started.setInput(a.getInput());
        }
        if (a.hasHeader()) {
            started.setHeader(a.getHeader());
        }
        if (a.hasRetryPolicy()) {
            started.setRetryPolicy(RetryPolicies.withDefaults(a.getRetryPolicy()));
        } else if (!e.getRetryPolicy().isEmpty()) {
            started.setRetryPolicy(StateCodec.retryPolicy(e.getRetryPolicy()));
        }
        if (a.hasFailure()) {
            started.setContinuedFailure(a.getFailure());
        }
        if (a.hasLastCompletionResult()) {
            started.setLastCompletionResult(a.getLastCompletionResult());
        }
        if (!e.getParentWorkflowId().isEmpty()) {
            started.setParentWorkflowNamespaceId(e.getParentNamespaceId())
                    .setParentWorkflowNamespace(e.getParentNamespace())
                    .setParentWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(e.getParentWorkflowId()).setRunId(e.getParentRunId()))
                    .setParentInitiatedEventId(e.getParentInitiatedEventId());
        }
        ChildStateMachine.closeTask(ms);
        MutableState next = MutableState.create(new WorkflowKey(ms.key().namespaceId(), ms.key().workflowId(), newRunId), ms.now());
        start(next, started.build(), java.util.UUID.randomUUID().toString());
        ms.setContinuedRun(next);
    }

    static long toMillis(com.google.protobuf.Duration d) {
        return Times.toMillis(d);
    }
}
