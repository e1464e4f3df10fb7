package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.ActivityTaskStartedEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.Map;

/** Appliers for activity events. */
final class ActivityAppliers {
    private ActivityAppliers() {}

    static void register(Map<EventType, EventApplier> table) {
        table.put(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, ActivityAppliers::scheduled);
        table.put(EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED, ActivityAppliers::started);
        table.put(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
                (s, e) -> s.removeActivities(e.getActivityTaskCompletedEventAttributes().getScheduledEventId()));
        table.put(EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
                (s, e) -> s.removeActivities(e.getActivityTaskFailedEventAttributes().getScheduledEventId()));
        table.put(EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
                (s, e) -> s.removeActivities(e.getActivityTaskTimedOutEventAttributes().getScheduledEventId()));
        table.put(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
                (s, e) -> s.removeActivities(e.getActivityTaskCanceledEventAttributes().getScheduledEventId()));
        table.put(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, ActivityAppliers::cancelRequested);
    }

    private static void scheduled(MutableStateRecord.Builder s, HistoryEvent e) {
        ActivityTaskScheduledEventAttributes a = e.getActivityTaskScheduledEventAttributes();
        long time = Times.toMillis(e.getEventTime());
        ActivityInfo.Builder ai = ActivityInfo.newBuilder()
                .setScheduledEventId(e.getEventId())
                .setActivityId(a.getActivityId())
                .setActivityType(a.getActivityType().getName())
                .setTaskQueue(a.getTaskQueue().getName())
                .setScheduleToStartMs(Times.toMillis(a.getScheduleToStartTimeout()))
                .setScheduleToCloseMs(Times.toMillis(a.getScheduleToCloseTimeout()))
                .setStartToCloseMs(Times.toMillis(a.getStartToCloseTimeout()))
                .setHeartbeatTimeoutMs(Times.toMillis(a.getHeartbeatTimeout()))
                .setFirstScheduledTimeMs(time)
                .setScheduledTimeMs(time)
                .setAttempt(1)
                .setScheduledWftCompletedEventId(a.getWorkflowTaskCompletedEventId());
        if (a.hasRetryPolicy()) {
            ai.setRetryPolicy(a.getRetryPolicy().toByteString());
        }
        s.putActivities(e.getEventId(), ai.build());
    }

    private static void started(MutableStateRecord.Builder s, HistoryEvent e) {
        ActivityTaskStartedEventAttributes a = e.getActivityTaskStartedEventAttributes();
        ActivityInfo ai = s.getActivitiesOrThrow(a.getScheduledEventId());
        ActivityInfo.Builder b = ai.toBuilder()
                .setStartedEventId(e.getEventId())
                .setAttempt(a.getAttempt())
                .setStartedIdentity(a.getIdentity())
                .setRequestId(a.getRequestId())
                .setStartedTimeMs(Times.toMillis(e.getEventTime()));
        if (a.hasLastFailure()) {
            b.setLastFailure(a.getLastFailure().toByteString());
        }
        s.putActivities(a.getScheduledEventId(), b.build());
    }

    private static void cancelRequested(MutableStateRecord.Builder s, HistoryEvent e) {
        long scheduledId = e.getActivityTaskCancelRequestedEventAttributes().getScheduledEventId();
        ActivityInfo ai = s.getActivitiesOrDefault(scheduledId, null);
        if (ai != null) {
            s.putActivities(scheduledId, ai.toBuilder().setCancelRequested(true).setCancelRequestedEventId(e.getEventId()).build());
        }
    }
}
