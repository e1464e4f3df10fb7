package io.tempora.history.workflow;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.Map;

/** Buffered activity results point at a started event whose id is only known when the buffer is written. */
final class BufferedEventFixer {
    private BufferedEventFixer() {}

    static void fixStartedEventId(HistoryEvent.Builder b, Map<Long, Long> startedIds) {
        switch (b.getEventType()) {
            case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> {
                var a = b.getActivityTaskCompletedEventAttributesBuilder();
                a.setStartedEventId(startedIds.getOrDefault(a.getScheduledEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_ACTIVITY_TASK_FAILED -> {
                var a = b.getActivityTaskFailedEventAttributesBuilder();
                a.setStartedEventId(startedIds.getOrDefault(a.getScheduledEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> {
                var a = b.getActivityTaskTimedOutEventAttributesBuilder();
                a.setStartedEventId(startedIds.getOrDefault(a.getScheduledEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> {
                var a = b.getActivityTaskCanceledEventAttributesBuilder();
                a.setStartedEventId(startedIds.getOrDefault(a.getScheduledEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> {
                var a = b.getChildWorkflowExecutionCompletedEventAttributesBuilder();
                a.setStartedEventId(childStarted(startedIds, a.getInitiatedEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED -> {
                var a = b.getChildWorkflowExecutionFailedEventAttributesBuilder();
                a.setStartedEventId(childStarted(startedIds, a.getInitiatedEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED -> {
                var a = b.getChildWorkflowExecutionCanceledEventAttributesBuilder();
                a.setStartedEventId(childStarted(startedIds, a.getInitiatedEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT -> {
                var a = b.getChildWorkflowExecutionTimedOutEventAttributesBuilder();
                a.setStartedEventId(childStarted(startedIds, a.getInitiatedEventId(), a.getStartedEventId()));
            }
            case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED -> {
                var a = b.getChildWorkflowExecutionTerminatedEventAttributesBuilder();
                a.setStartedEventId(childStarted(startedIds, a.getInitiatedEventId(), a.getStartedEventId()));
            }
            default -> {
                // no reference to fix
            }
        }
    }

    /** Child started events are keyed by the negated initiated event id, apart from activity keys. */
    static long childKey(long initiatedEventId) {
        return -initiatedEventId;
    }

    private static long childStarted(Map<Long, Long> startedIds, long initiatedEventId, long current) {
        return startedIds.getOrDefault(childKey(initiatedEventId), current);
    }

    static boolean finishesActivity(HistoryEvent e, long scheduledEventId) {
        return switch (e.getEventType()) {
            case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> e.getActivityTaskCompletedEventAttributes().getScheduledEventId() == scheduledEventId;
            case EVENT_TYPE_ACTIVITY_TASK_FAILED -> e.getActivityTaskFailedEventAttributes().getScheduledEventId() == scheduledEventId;
            case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> e.getActivityTaskTimedOutEventAttributes().getScheduledEventId() == scheduledEventId;
            case EVENT_TYPE_ACTIVITY_TASK_CANCELED -> e.getActivityTaskCanceledEventAttributes().getScheduledEventId() == scheduledEventId;
            default -> false;
        };
    }
}
