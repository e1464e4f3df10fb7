package io.tempora.history.workflow;

import io.tempora.common.CronSchedules;
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
        ms.mutableRecord().getExecutionBuilder().setCreateRequestId(requestId);
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, e -> e.setWorkflowExecutionStartedEventAttributes(attrs));
        beforeFirstTask.accept(ms);
        long backoff = Times.toMillis(attrs.getFirstWorkflowTaskBackoff());
        if (backoff > 0) {
            // A retried or cron run waits before its first workflow task.
            ms.addTimerTask(TimerTask.newBuilder().setType(TimerTaskType.TIMER_TASK_TYPE_WORKFLOW_BACKOFF).setFireTimeMs(ms.now() + backoff));
        } else if (!ms.hasPendingWorkflowTask()) {
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
        if (!ms.execution().getCronSchedule().isEmpty()) {
            continueAsCron(ms, result, null, wftCompletedEventId);
            return;
        }
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
        RetryState retryState = ms.execution().getRetryPolicy().isEmpty() ? RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET : retryRun(ms, failure, newRunId -> ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
                e -> e.setWorkflowExecutionFailedEventAttributes(WorkflowExecutionFailedEventAttributes.newBuilder()
                        .setFailure(failure)
                        .setRetryState(RetryState.RETRY_STATE_IN_PROGRESS)
                        .setNewExecutionRunId(newRunId)
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId))));
        if (retryState == RetryState.RETRY_STATE_IN_PROGRESS) {
            return;
        }
        if (!ms.execution().getCronSchedule().isEmpty()) {
            continueAsCron(ms, null, failure, wftCompletedEventId);
            return;
        }
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
        WorkflowTaskStateMachine.failStartedOnClose(ms);
        ms.flushBufferedEvents();
        boolean executionExpired = ms.execution().getExecutionExpirationMs() > 0 && ms.now() >= ms.execution().getExecutionExpirationMs();
        RetryState retryState;
        if (executionExpired) {
            retryState = RetryState.RETRY_STATE_TIMEOUT;
        } else {
            retryState = retryRun(ms, workflowTimeoutFailure(), newRunId -> ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
                    e -> e.setWorkflowExecutionTimedOutEventAttributes(WorkflowExecutionTimedOutEventAttributes.newBuilder()
                            .setRetryState(RetryState.RETRY_STATE_IN_PROGRESS).setNewExecutionRunId(newRunId))));
            if (retryState == RetryState.RETRY_STATE_IN_PROGRESS) {
                return;
            }
            if (!ms.execution().getCronSchedule().isEmpty()) {
                continueAsCron(ms, null, workflowTimeoutFailure(), 0);
                return;
            }
        }
        RetryState finalState = retryState;
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, e -> e.setWorkflowExecutionTimedOutEventAttributes(
                WorkflowExecutionTimedOutEventAttributes.newBuilder().setRetryState(finalState)));
        ChildStateMachine.closeTask(ms);
    }

    public static Failure workflowTimeoutFailure() {
        return Failure.newBuilder().setMessage("workflow timeout").setSource("Server")
                .setTimeoutFailureInfo(TimeoutFailureInfo.newBuilder().setTimeoutType(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE))
                .build();
    }

    /** A started workflow task is failed first (FORCE_CLOSE_COMMAND), then buffered events are written, as the official server orders them. */
    public static void terminate(MutableState ms, String reason, Payloads details, String identity) {
        WorkflowTaskStateMachine.failStartedOnClose(ms);
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

    /** What the next run of this workflow id starts with (continue-as-new, retry, cron). */
    public record NextRun(io.temporal.api.common.v1.WorkflowType type, io.temporal.api.taskqueue.v1.TaskQueue queue,
                          Payloads input, long runTimeoutMs, long taskTimeoutMs, io.temporal.api.common.v1.Memo memo,
                          io.temporal.api.common.v1.SearchAttributes searchAttributes, io.temporal.api.common.v1.Header header,
                          io.temporal.api.common.v1.RetryPolicy retryPolicy, int attempt, long backoffMs,
                          io.temporal.api.enums.v1.ContinueAsNewInitiator initiator, Failure failure, Payloads lastCompletionResult,
                          String cronSchedule) {
        NextRun withAttempt(int a, long backoff, io.temporal.api.enums.v1.ContinueAsNewInitiator init, Failure f, Payloads last) {
            return new NextRun(type, queue, input, runTimeoutMs, taskTimeoutMs, memo, searchAttributes, header, retryPolicy, a, backoff,
                    init, f, last, cronSchedule);
        }
    }

    /** The next run as this one started (same type, queue, input, timeouts, memo, search attributes). */
    static NextRun sameAsThisRun(MutableState ms) {
        WorkflowExecutionStartedEventAttributes first = ms.startEvent().getWorkflowExecutionStartedEventAttributes();
        io.tempora.common.proto.ExecutionInfoOrBuilder e = ms.execution();
        return new NextRun(first.getWorkflowType(), first.getTaskQueue(), first.hasInput() ? first.getInput() : null,
                e.getRunTimeoutMs(), e.getTaskTimeoutMs(), StateCodec.memo(ms.record().getExecution()),
                StateCodec.searchAttributes(ms.record().getExecution()), first.hasHeader() ? first.getHeader() : null,
                StateCodec.retryPolicy(e.getRetryPolicy()), e.getAttempt(), 0,
                io.temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED, null, null, e.getCronSchedule());
    }

    /** The ContinueAsNewWorkflowExecution command: close as continued-as-new, the next run starts in the same transaction. */
    public static void continueAsNew(MutableState ms, io.temporal.api.command.v1.ContinueAsNewWorkflowExecutionCommandAttributes a,
                                     long wftCompletedEventId) {
        io.tempora.common.proto.ExecutionInfoOrBuilder e = ms.execution();
        NextRun next = new NextRun(
                a.getWorkflowType().getName().isEmpty() ? io.temporal.api.common.v1.WorkflowType.newBuilder().setName(e.getWorkflowType()).build() : a.getWorkflowType(),
                a.getTaskQueue().getName().isEmpty() ? io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(e.getTaskQueue()).build() : a.getTaskQueue(),
                a.hasInput() ? a.getInput() : null,
                Times.toMillis(a.getWorkflowRunTimeout()) > 0 ? Times.toMillis(a.getWorkflowRunTimeout()) : e.getRunTimeoutMs(),
                Times.toMillis(a.getWorkflowTaskTimeout()) > 0 ? Times.toMillis(a.getWorkflowTaskTimeout()) : e.getTaskTimeoutMs(),
                a.hasMemo() ? a.getMemo() : StateCodec.memo(ms.record().getExecution()),
                a.hasSearchAttributes() ? a.getSearchAttributes() : StateCodec.searchAttributes(ms.record().getExecution()),
                a.hasHeader() ? a.getHeader() : null,
                a.hasRetryPolicy() ? RetryPolicies.withDefaults(a.getRetryPolicy()) : StateCodec.retryPolicy(e.getRetryPolicy()),
                1, Times.toMillis(a.getBackoffStartInterval()), a.getInitiator(),
                a.hasFailure() ? a.getFailure() : null, a.hasLastCompletionResult() ? a.getLastCompletionResult() : null,
                e.getCronSchedule());
        closeAsContinued(ms, next, wftCompletedEventId);
    }

    /**
     * A cron run finished: it closes with its own close event (completed, failed or timed out) naming the next
     * run, which starts at the next cron time, as the official server records cron runs.
     */
    private static void continueAsCron(MutableState ms, Payloads result, Failure failure, long wftCompletedEventId) {
        long backoff = CronSchedules.nextBackoffMs(ms.execution().getCronSchedule(), ms.now());
        String newRunId = java.util.UUID.randomUUID().toString();
        if (failure == null) {
            ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, e -> {
                WorkflowExecutionCompletedEventAttributes.Builder a = WorkflowExecutionCompletedEventAttributes.newBuilder()
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId).setNewExecutionRunId(newRunId);
                if (result != null) {
                    a.setResult(result);
                }
                e.setWorkflowExecutionCompletedEventAttributes(a);
            });
        } else if (failure.hasTimeoutFailureInfo()) {
            ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, e -> e.setWorkflowExecutionTimedOutEventAttributes(
                    WorkflowExecutionTimedOutEventAttributes.newBuilder().setRetryState(RetryState.RETRY_STATE_TIMEOUT).setNewExecutionRunId(newRunId)));
        } else {
            ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, e -> e.setWorkflowExecutionFailedEventAttributes(
                    WorkflowExecutionFailedEventAttributes.newBuilder().setFailure(failure)
                            .setRetryState(RetryState.RETRY_STATE_RETRY_POLICY_NOT_SET)
                            .setWorkflowTaskCompletedEventId(wftCompletedEventId).setNewExecutionRunId(newRunId)));
        }
        ChildStateMachine.closeTask(ms);
        startNextRun(ms, newRunId, sameAsThisRun(ms).withAttempt(1, backoff,
                io.temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE, failure, result));
    }

    private static void closeAsContinued(MutableState ms, NextRun next, long wftCompletedEventId) {
        String newRunId = java.util.UUID.randomUUID().toString();
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, ev -> {
            var c = io.temporal.api.history.v1.WorkflowExecutionContinuedAsNewEventAttributes.newBuilder()
                    .setNewExecutionRunId(newRunId)
                    .setWorkflowType(next.type())
                    .setTaskQueue(next.queue())
                    .setWorkflowRunTimeout(Times.duration(next.runTimeoutMs()))
                    .setWorkflowTaskTimeout(Times.duration(next.taskTimeoutMs()))
                    .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                    .setBackoffStartInterval(Times.duration(next.backoffMs()))
                    .setInitiator(next.initiator())
                    .setMemo(next.memo())
                    .setSearchAttributes(next.searchAttributes());
            if (next.input() != null) {
                c.setInput(next.input());
            }
            if (next.header() != null) {
                c.setHeader(next.header());
            }
            if (next.failure() != null) {
                c.setFailure(next.failure());
            }
            if (next.lastCompletionResult() != null) {
                c.setLastCompletionResult(next.lastCompletionResult());
            }
            ev.setWorkflowExecutionContinuedAsNewEventAttributes(c);
        });
        ChildStateMachine.closeTask(ms);
        startNextRun(ms, newRunId, next);
    }

    /** Prepares the next run of this workflow id; it is committed in the same transaction as this run's close. */
    private static void startNextRun(MutableState ms, String newRunId, NextRun n) {
        io.tempora.common.proto.ExecutionInfoOrBuilder e = ms.execution();
        WorkflowExecutionStartedEventAttributes.Builder started = WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(n.type())
                .setTaskQueue(n.queue())
                .setWorkflowExecutionTimeout(Times.duration(e.getExecutionTimeoutMs()))
                .setWorkflowRunTimeout(Times.duration(n.runTimeoutMs()))
                .setWorkflowTaskTimeout(Times.duration(n.taskTimeoutMs()))
                .setContinuedExecutionRunId(ms.key().runId())
                .setInitiator(n.initiator())
                .setOriginalExecutionRunId(newRunId)
                .setFirstExecutionRunId(e.getFirstExecutionRunId())
                .setAttempt(n.attempt())
                .setCronSchedule(n.cronSchedule())
                .setFirstWorkflowTaskBackoff(Times.duration(n.backoffMs()))
                .setWorkflowId(ms.key().workflowId())
                .setMemo(n.memo())
                .setSearchAttributes(n.searchAttributes());
        if (e.getExecutionExpirationMs() > 0) {
            started.setWorkflowExecutionExpirationTime(Times.timestamp(e.getExecutionExpirationMs()));
        }
        if (!e.getPriority().isEmpty()) {
            started.setPriority(StateCodec.priority(ms.record().getExecution())); // the next run keeps the priority
        }
        if (n.input() != null) {
            started.setInput(n.input());
        }
        if (n.header() != null) {
            started.setHeader(n.header());
        }
        if (n.retryPolicy() != null) {
            started.setRetryPolicy(n.retryPolicy());
        }
        if (n.failure() != null) {
            started.setContinuedFailure(n.failure());
        }
        if (n.lastCompletionResult() != null) {
            started.setLastCompletionResult(n.lastCompletionResult());
        }
        if (!e.getParentWorkflowId().isEmpty()) {
            started.setParentWorkflowNamespaceId(e.getParentNamespaceId())
                    .setParentWorkflowNamespace(e.getParentNamespace())
                    .setParentWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(e.getParentWorkflowId()).setRunId(e.getParentRunId()))
                    .setParentInitiatedEventId(e.getParentInitiatedEventId())
                    // A child's later runs stay in its tree; a top-level run's next run is its own root.
                    .setRootWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(e.getRootWorkflowId()).setRunId(e.getRootRunId()));
        }
        MutableState next = MutableState.create(new WorkflowKey(ms.key().namespaceId(), ms.key().workflowId(), newRunId), ms.now());
        start(next, started.build(), java.util.UUID.randomUUID().toString());
        ms.setContinuedRun(next);
    }

    /** Retries this run per its retry policy; returns the retry state (IN_PROGRESS when a new run was started). */
    private static RetryState retryRun(MutableState ms, Failure failure, java.util.function.Consumer<String> closeWithNewRunId) {
        io.temporal.api.common.v1.RetryPolicy policy = StateCodec.retryPolicy(ms.execution().getRetryPolicy());
        RetryPolicies.Decision d = RetryPolicies.decide(policy, ms.execution().getAttempt(), failure, ms.now(),
                ms.execution().getExecutionExpirationMs());
        if (!d.retry()) {
            return d.state();
        }
        String newRunId = java.util.UUID.randomUUID().toString();
        closeWithNewRunId.accept(newRunId);
        ChildStateMachine.closeTask(ms);
        startNextRun(ms, newRunId, sameAsThisRun(ms).withAttempt(ms.execution().getAttempt() + 1, d.backoffMs(),
                io.temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY, failure, null));
        return RetryState.RETRY_STATE_IN_PROGRESS;
    }
}
