package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.WorkflowTaskInfo;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import java.util.Map;

/** Appliers for the workflow task lifecycle. */
final class WorkflowTaskAppliers {
    private WorkflowTaskAppliers() {}

    static void register(Map<EventType, EventApplier> table) {
        table.put(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, WorkflowTaskAppliers::scheduled);
        table.put(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, WorkflowTaskAppliers::started);
        table.put(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, WorkflowTaskAppliers::completed);
        table.put(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, (s, e) -> s.clearWorkflowTask());
        table.put(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, (s, e) -> s.clearWorkflowTask());
    }

    private static void scheduled(MutableStateRecord.Builder s, HistoryEvent e) {
        WorkflowTaskScheduledEventAttributes a = e.getWorkflowTaskScheduledEventAttributes();
        s.setWorkflowTask(WorkflowTaskInfo.newBuilder()
                .setScheduledEventId(e.getEventId())
                .setAttempt(a.getAttempt())
                .setTaskQueue(a.getTaskQueue().getName())
                .setTaskQueueKind(a.getTaskQueue().getKindValue())
                .setStartToCloseMs(Times.toMillis(a.getStartToCloseTimeout()))
                .setScheduledTimeMs(Times.toMillis(e.getEventTime())));
    }

    private static void started(MutableStateRecord.Builder s, HistoryEvent e) {
        s.getWorkflowTaskBuilder()
                .setStartedEventId(e.getEventId())
                .setStartedTimeMs(Times.toMillis(e.getEventTime()))
                .setRequestId(e.getWorkflowTaskStartedEventAttributes().getRequestId())
                .setIdentity(e.getWorkflowTaskStartedEventAttributes().getIdentity());
    }

    private static void completed(MutableStateRecord.Builder s, HistoryEvent e) {
        s.getExecutionBuilder()
                .setLastCompletedWftStartedEventId(e.getWorkflowTaskCompletedEventAttributes().getStartedEventId())
                .setLastCompletedWftCompletedEventId(e.getEventId());
        s.clearWorkflowTask();
    }
}
