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
        ms.record().getExecutionBuilder().setCreateRequestId(requestId);
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, e -> e.setWorkflowExecutionStartedEventAttributes(attrs));
        WorkflowTaskStateMachine.schedule(ms, 1);
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
    }

    public static void fail(MutableState ms, Failure failure, long wftCompletedEventId) {
        RetryState retryState = ms.execution().getRetryPolicy().isEmpty()
                ? RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET : RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE;
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, e -> e.setWorkflowExecutionFailedEventAttributes(
                WorkflowExecutionFailedEventAttributes.newBuilder()
                        .setFailure(failure)
                        .setRetryState(retryState)
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId)));
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
    }

    /** The run (or execution) deadline passed: buffered events are written first, then the timeout. */
    public static void timeOut(MutableState ms) {
        ms.flushBufferedEvents();
        boolean executionExpired = ms.execution().getExecutionExpirationMs() > 0 && ms.now() >= ms.execution().getExecutionExpirationMs();
        RetryState retryState = executionExpired || !ms.execution().getRetryPolicy().isEmpty()
                ? RetryState.RETRY_STATE_TIMEOUT : RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET;
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, e -> e.setWorkflowExecutionTimedOutEventAttributes(
                WorkflowExecutionTimedOutEventAttributes.newBuilder().setRetryState(retryState)));
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
    }

    static long toMillis(com.google.protobuf.Duration d) {
        return Times.toMillis(d);
    }
}
