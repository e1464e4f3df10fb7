package io.tempora.history.workflow;

import io.tempora.common.proto.TimerInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TimerTaskType;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.TimerCanceledEventAttributes;
import io.temporal.api.history.v1.TimerFiredEventAttributes;
import io.temporal.api.history.v1.TimerStartedEventAttributes;

/** User timers: started by a command, fired by the timer queue, or canceled by a command. */
public final class TimerStateMachine {
    private TimerStateMachine() {}

    public static void start(MutableState ms, StartTimerCommandAttributes attrs, long wftCompletedEventId) {
        ms.addEvent(EventType.EVENT_TYPE_TIMER_STARTED, e -> e.setTimerStartedEventAttributes(TimerStartedEventAttributes.newBuilder()
                .setTimerId(attrs.getTimerId())
                .setStartToFireTimeout(attrs.getStartToFireTimeout())
                .setWorkflowTaskCompletedEventId(wftCompletedEventId)));
        TimerInfo timer = ms.record().getTimersOrThrow(attrs.getTimerId());
        ms.addTimerTask(TimerTask.newBuilder()
                .setType(TimerTaskType.TIMER_TASK_TYPE_USER_TIMER)
                .setFireTimeMs(timer.getExpiryTimeMs())
                .setEventId(timer.getStartedEventId())
                .setTimerId(timer.getTimerId()));
    }

    /** Recreates the timer task of a pending timer (a reset run inherits it). */
    public static void refreshTask(MutableState ms, TimerInfo timer) {
        ms.addTimerTask(TimerTask.newBuilder()
                .setType(TimerTaskType.TIMER_TASK_TYPE_USER_TIMER)
                .setFireTimeMs(timer.getExpiryTimeMs())
                .setEventId(timer.getStartedEventId())
                .setTimerId(timer.getTimerId()));
    }

    public static void fire(MutableState ms, TimerInfo timer) {
        ms.addExternalEvent(EventType.EVENT_TYPE_TIMER_FIRED, e -> e.setTimerFiredEventAttributes(TimerFiredEventAttributes.newBuilder()
                .setTimerId(timer.getTimerId())
                .setStartedEventId(timer.getStartedEventId())));
        WorkflowTaskStateMachine.scheduleIfNone(ms);
    }

    public static void cancel(MutableState ms, TimerInfo timer, long wftCompletedEventId, String identity) {
        ms.addEvent(EventType.EVENT_TYPE_TIMER_CANCELED, e -> e.setTimerCanceledEventAttributes(TimerCanceledEventAttributes.newBuilder()
                .setTimerId(timer.getTimerId())
                .setStartedEventId(timer.getStartedEventId())
                .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                .setIdentity(identity)));
    }
}
