package io.tempora.history.workflow;

import com.google.protobuf.ByteString;
import io.tempora.common.Times;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TimerTaskType;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.TransferTaskType;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.TimeoutFailureInfo;
import io.temporal.api.history.v1.ActivityTaskCancelRequestedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskCanceledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskFailedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskTimedOutEventAttributes;

/**
 * The activity lifecycle. An attempt's start is kept in ActivityInfo and its ActivityTaskStarted event is
 * written only together with the attempt's result, so retried attempts leave no trace in history (as in the
 * official server). Failures and timeouts go through the retry policy first.
 */
public final class ActivityStateMachine {
    private ActivityStateMachine() {}

    public static long schedule(MutableState ms, ScheduleActivityTaskCommandAttributes attrs, long wftCompletedEventId) {
        return schedule(ms, attrs, wftCompletedEventId, false);
    }

    /**
     * Records ActivityTaskScheduled. {@code eager}: the worker that completed the workflow task gets the activity in
     * its response (eager dispatch), so it is not handed to matching. Returns the scheduled event id.
     */
    public static long schedule(MutableState ms, ScheduleActivityTaskCommandAttributes attrs, long wftCompletedEventId, boolean eager) {
        ActivityTaskScheduledEventAttributes.Builder a = ActivityTaskScheduledEventAttributes.newBuilder()
                .setActivityId(attrs.getActivityId())
                .setActivityType(attrs.getActivityType())
                .setTaskQueue(attrs.getTaskQueue())
                .setHeader(attrs.getHeader())
                .setScheduleToCloseTimeout(attrs.getScheduleToCloseTimeout())
                .setScheduleToStartTimeout(attrs.getScheduleToStartTimeout())
                .setStartToCloseTimeout(attrs.getStartToCloseTimeout())
                .setHeartbeatTimeout(attrs.getHeartbeatTimeout())
                .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                .setRetryPolicy(attrs.getRetryPolicy())
                .setUseWorkflowBuildId(attrs.getUseWorkflowBuildId());
        if (attrs.hasInput()) {
            a.setInput(attrs.getInput());
        }
        if (attrs.hasPriority()) {
            a.setPriority(attrs.getPriority());
        }
        var event = ms.addEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, e -> e.setActivityTaskScheduledEventAttributes(a));
        ActivityInfo ai = ms.activity(event.getEventId());
        if (eager) {
            if (ai.getScheduleToCloseMs() > 0) {
                ms.addTimerTask(timer(ai, TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_TIMEOUT, ai.getFirstScheduledTimeMs() + ai.getScheduleToCloseMs(),
                        TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE_VALUE));
            }
        } else {
            dispatchAttempt(ms, ai, ms.now());
        }
        return event.getEventId();
    }

    /** Creates the outbox tasks of an attempt that becomes available at {@code availableAt}. */
    private static void dispatchAttempt(MutableState ms, ActivityInfo ai, long availableAt) {
        if (availableAt > ms.now()) {
            ms.addTimerTask(timer(ai, TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_RETRY, availableAt, 0));
        } else {
            ms.addTransferTask(TransferTask.newBuilder()
                    .setType(TransferTaskType.TRANSFER_TASK_TYPE_ACTIVITY_TASK)
                    .setScheduledEventId(ai.getScheduledEventId())
                    .setAttempt(ai.getAttempt())
                    .setTaskQueue(ai.getTaskQueue())
                    .setScheduleToStartMs(ai.getScheduleToStartMs()));
        }
        if (ai.getScheduleToStartMs() > 0) {
            ms.addTimerTask(timer(ai, TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_TIMEOUT, availableAt + ai.getScheduleToStartMs(),
                    TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START_VALUE));
        }
        if (ai.getAttempt() == 1 && ai.getScheduleToCloseMs() > 0) {
            ms.addTimerTask(timer(ai, TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_TIMEOUT, ai.getFirstScheduledTimeMs() + ai.getScheduleToCloseMs(),
                    TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE_VALUE));
        }
    }

    /** Recreates the outbox tasks of a pending, not started activity (a reset run inherits it). */
    public static void refreshTasks(MutableState ms, ActivityInfo ai) {
        dispatchAttempt(ms, ai, ms.now());
    }

    /** Used by the retry timer: the attempt's backoff is over, hand it to matching. */
    public static TransferTask.Builder dispatchTask(ActivityInfo ai) {
        return TransferTask.newBuilder()
                .setType(TransferTaskType.TRANSFER_TASK_TYPE_ACTIVITY_TASK)
                .setScheduledEventId(ai.getScheduledEventId())
                .setAttempt(ai.getAttempt())
                .setTaskQueue(ai.getTaskQueue())
                .setScheduleToStartMs(ai.getScheduleToStartMs());
    }

    private static TimerTask.Builder timer(ActivityInfo ai, TimerTaskType type, long fireAt, int timeoutType) {
        return TimerTask.newBuilder()
                .setType(type)
                .setFireTimeMs(fireAt)
                .setEventId(ai.getScheduledEventId())
                .setAttempt(ai.getAttempt())
                .setTimeoutType(timeoutType)
                .setStamp(ai.getStartedTimeMs());
    }

    public static ActivityInfo start(MutableState ms, ActivityInfo ai, String requestId, String identity) {
        ActivityInfo started = ai.toBuilder()
                .setStartedTimeMs(ms.now())
                .setRequestId(requestId)
                .setStartedIdentity(identity)
                .build();
        ms.putActivity(started);
        if (started.getStartToCloseMs() > 0) {
            ms.addTimerTask(timer(started, TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_TIMEOUT, ms.now() + started.getStartToCloseMs(),
                    TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE_VALUE));
        }
        if (started.getHeartbeatTimeoutMs() > 0) {
            ms.addTimerTask(timer(started, TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_TIMEOUT, ms.now() + started.getHeartbeatTimeoutMs(),
                    TimeoutType.TIMEOUT_TYPE_HEARTBEAT_VALUE));
        }
        return started;
    }

    public static void heartbeat(MutableState ms, ActivityInfo ai, Payloads details) {
        ActivityInfo.Builder b = ai.toBuilder().setLastHeartbeatTimeMs(ms.now());
        if (details != null) {
            b.setLastHeartbeatDetails(details.toByteString());
        }
        ms.putActivity(b.build());
    }

    /** The heartbeat deadline moved on since the timer was created: arm a new timer at the new deadline. */
    public static void rearmHeartbeatTimer(MutableState ms, ActivityInfo ai, long deadline) {
        ms.addTimerTask(timer(ai, TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_TIMEOUT, deadline, TimeoutType.TIMEOUT_TYPE_HEARTBEAT_VALUE));
    }

    public static long heartbeatDeadline(ActivityInfo ai) {
        return Math.max(ai.getStartedTimeMs(), ai.getLastHeartbeatTimeMs()) + ai.getHeartbeatTimeoutMs();
    }

    private static long writeStarted(MutableState ms, ActivityInfo ai) {
        return ms.addExternalEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, e -> {
            ActivityTaskStartedEventAttributes.Builder a = ActivityTaskStartedEventAttributes.newBuilder()
                    .setScheduledEventId(ai.getScheduledEventId())
                    .setAttempt(ai.getAttempt())
                    .setIdentity(ai.getStartedIdentity())
                    .setRequestId(ai.getRequestId());
            Failure last = StateCodec.failure(ai.getLastFailure());
            if (last != null) {
                a.setLastFailure(last);
            }
            e.setEventTime(Times.timestamp(ai.getStartedTimeMs())).setActivityTaskStartedEventAttributes(a);
        });
    }

    public static void complete(MutableState ms, ActivityInfo ai, Payloads result, String identity) {
        long startedId = writeStarted(ms, ai);
        ms.addExternalEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, e -> {
            ActivityTaskCompletedEventAttributes.Builder a = ActivityTaskCompletedEventAttributes.newBuilder()
                    .setScheduledEventId(ai.getScheduledEventId())
                    .setStartedEventId(startedId)
                    .setIdentity(identity);
            if (result != null) {
                a.setResult(result);
            }
            e.setActivityTaskCompletedEventAttributes(a);
        });
        WorkflowTaskStateMachine.scheduleIfNone(ms);
    }

    /** Fails the attempt: retried per policy (no event), otherwise recorded as failed. */
    public static void fail(MutableState ms, ActivityInfo ai, Failure failure, Payloads lastHeartbeat, String identity) {
        if (lastHeartbeat != null) {
            ai = ai.toBuilder().setLastHeartbeatDetails(lastHeartbeat.toByteString()).build();
        }
        RetryPolicies.Decision decision = decide(ms, ai, failure);
        if (decision.retry()) {
            retry(ms, ai, failure, identity, decision.backoffMs());
            return;
        }
        ActivityInfo finalAi = ai;
        long startedId = writeStarted(ms, ai);
        ms.addExternalEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED, e -> e.setActivityTaskFailedEventAttributes(
                ActivityTaskFailedEventAttributes.newBuilder()
                        .setScheduledEventId(finalAi.getScheduledEventId())
                        .setStartedEventId(startedId)
                        .setFailure(failure)
                        .setIdentity(identity)
                        .setRetryState(decision.state())));
        WorkflowTaskStateMachine.scheduleIfNone(ms);
    }

    /**
     * The attempt timed out. As the official server does it: a retry remembers the bare timeout as the attempt's
     * failure; the final failure names the timeout (schedule-to-close when no retry fits before that deadline),
     * carries the last heartbeat details, and has the previous attempt's failure as its cause.
     */
    public static void timeOut(MutableState ms, ActivityInfo ai, TimeoutType timeoutType) {
        Failure timeout = timeoutFailure(timeoutType, null, null);
        RetryPolicies.Decision decision = timeoutType == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE
                ? new RetryPolicies.Decision(RetryState.RETRY_STATE_TIMEOUT, 0)
                : decide(ms, ai, timeout);
        if (decision.retry()) {
            retry(ms, ai, timeout, ai.getStartedIdentity(), decision.backoffMs());
            return;
        }
        TimeoutType reported = decision.state() == RetryState.RETRY_STATE_TIMEOUT ? TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE : timeoutType;
        Failure failure = timeoutFailure(reported, StateCodec.payloads(ai.getLastHeartbeatDetails()), StateCodec.failure(ai.getLastFailure()));
        long startedId = ai.getStartedTimeMs() > 0 ? writeStarted(ms, ai) : 0;
        ms.addExternalEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT, e -> e.setActivityTaskTimedOutEventAttributes(
                ActivityTaskTimedOutEventAttributes.newBuilder()
                        .setScheduledEventId(ai.getScheduledEventId())
                        .setStartedEventId(startedId)
                        .setFailure(failure)
                        .setRetryState(decision.state())));
        WorkflowTaskStateMachine.scheduleIfNone(ms);
    }

    private static Failure timeoutFailure(TimeoutType type, Payloads details, Failure cause) {
        TimeoutFailureInfo.Builder info = TimeoutFailureInfo.newBuilder().setTimeoutType(type);
        if (details != null) {
            info.setLastHeartbeatDetails(details);
        }
        Failure.Builder f = Failure.newBuilder()
                .setMessage("activity " + TimeoutNames.name(type) + " timeout")
                .setSource("Server")
                .setTimeoutFailureInfo(info);
        if (cause != null) {
            f.setCause(cause);
        }
        return f.build();
    }

    public static void cancelRequested(MutableState ms, long scheduledEventId, long wftCompletedEventId) {
        ms.addEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, e -> e.setActivityTaskCancelRequestedEventAttributes(
                ActivityTaskCancelRequestedEventAttributes.newBuilder()
                        .setScheduledEventId(scheduledEventId)
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId)));
    }

    /** Records the cancellation of an attempt (not started, or the worker confirmed it). */
    public static void canceled(MutableState ms, ActivityInfo ai, Payloads details, String identity, boolean external) {
        long startedId = ai.getStartedTimeMs() > 0 ? writeStarted(ms, ai) : 0;
        java.util.function.Consumer<io.temporal.api.history.v1.HistoryEvent.Builder> attrs = e -> {
            ActivityTaskCanceledEventAttributes.Builder a = ActivityTaskCanceledEventAttributes.newBuilder()
                    .setScheduledEventId(ai.getScheduledEventId())
                    .setStartedEventId(startedId)
                    .setLatestCancelRequestedEventId(ai.getCancelRequestedEventId())
                    .setIdentity(identity);
            if (details != null) {
                a.setDetails(details);
            }
            e.setActivityTaskCanceledEventAttributes(a);
        };
        if (external) {
            ms.addExternalEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, attrs);
            WorkflowTaskStateMachine.scheduleIfNone(ms);
        } else {
            ms.addEvent(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED, attrs);
        }
    }

    private static RetryPolicies.Decision decide(MutableState ms, ActivityInfo ai, Failure failure) {
        if (ai.getCancelRequested()) {
            return new RetryPolicies.Decision(RetryState.RETRY_STATE_CANCEL_REQUESTED, 0);
        }
        RetryPolicy policy = StateCodec.retryPolicy(ai.getRetryPolicy());
        long expiration = ai.getScheduleToCloseMs() > 0 ? ai.getFirstScheduledTimeMs() + ai.getScheduleToCloseMs() : 0;
        return RetryPolicies.decide(policy, ai.getAttempt(), failure, ms.now(), expiration);
    }

    private static void retry(MutableState ms, ActivityInfo ai, Failure failure, String identity, long backoffMs) {
        ActivityInfo next = ai.toBuilder()
                .setAttempt(ai.getAttempt() + 1)
                .setScheduledTimeMs(ms.now() + backoffMs)
                .setStartedTimeMs(0)
                .setStartedEventId(0)
                .setRequestId("")
                .setStartedIdentity("")
                .setLastFailure(failure == null ? ByteString.EMPTY : failure.toByteString())
                .setLastWorkerIdentity(identity)
                .build();
        ms.putActivity(next);
        dispatchAttempt(ms, next, next.getScheduledTimeMs());
    }
}
