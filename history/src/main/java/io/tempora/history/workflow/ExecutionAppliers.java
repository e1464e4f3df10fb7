package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import java.util.Map;

/** Appliers for events that change the execution as a whole: start, close, memo, search attributes. */
final class ExecutionAppliers {
    private ExecutionAppliers() {}

    static void register(Map<EventType, EventApplier> table) {
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, ExecutionAppliers::started);
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED, closed(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED));
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, closed(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED));
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT, closed(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT));
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED, closed(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED));
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED, closed(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED));
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, closed(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW));
        table.put(EventType.EVENT_TYPE_MARKER_RECORDED, (s, e) -> { });
        table.put(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, ExecutionAppliers::searchAttributesUpserted);
        table.put(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, ExecutionAppliers::propertiesModified);
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, (s, e) -> s.getExecutionBuilder().setSignalCount(s.getExecution().getSignalCount() + 1));
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, (s, e) -> s.getExecutionBuilder().setCancelRequested(true));
    }

    private static void started(MutableStateRecord.Builder s, HistoryEvent e) {
        WorkflowExecutionStartedEventAttributes a = e.getWorkflowExecutionStartedEventAttributes();
        long start = Times.toMillis(e.getEventTime());
        ExecutionInfo.Builder info = s.getExecutionBuilder()
                .setWorkflowType(a.getWorkflowType().getName())
                .setTaskQueue(a.getTaskQueue().getName())
                .setExecutionTimeoutMs(Times.toMillis(a.getWorkflowExecutionTimeout()))
                .setRunTimeoutMs(Times.toMillis(a.getWorkflowRunTimeout()))
                .setTaskTimeoutMs(Times.toMillis(a.getWorkflowTaskTimeout()))
                .setStartTimeMs(start)
                .setAttempt(a.getAttempt())
                .setFirstExecutionRunId(a.getFirstExecutionRunId())
                .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE)
                .setExecutionExpirationMs(a.hasWorkflowExecutionExpirationTime() ? Times.toMillis(a.getWorkflowExecutionExpirationTime()) : 0)
                .setRunExpirationMs(a.hasWorkflowRunTimeout() && Times.toMillis(a.getWorkflowRunTimeout()) > 0
                        ? start + Times.toMillis(a.getFirstWorkflowTaskBackoff()) + Times.toMillis(a.getWorkflowRunTimeout()) : 0)
                .setCronSchedule(a.getCronSchedule())
                .setFirstWorkflowTaskBackoffMs(Times.toMillis(a.getFirstWorkflowTaskBackoff()));
        if (a.hasRetryPolicy()) {
            info.setRetryPolicy(a.getRetryPolicy().toByteString());
        }
        if (a.hasRootWorkflowExecution()) {
            info.setRootWorkflowId(a.getRootWorkflowExecution().getWorkflowId()).setRootRunId(a.getRootWorkflowExecution().getRunId());
        } else { // a top-level run is its own root (the official server leaves the event's field empty then)
            info.setRootWorkflowId(info.getWorkflowId()).setRootRunId(info.getRunId());
        }
        if (a.hasParentWorkflowExecution()) {
            info.setParentNamespaceId(a.getParentWorkflowNamespaceId())
                    .setParentNamespace(a.getParentWorkflowNamespace())
                    .setParentWorkflowId(a.getParentWorkflowExecution().getWorkflowId())
                    .setParentRunId(a.getParentWorkflowExecution().getRunId())
                    .setParentInitiatedEventId(a.getParentInitiatedEventId());
        }
        if (a.hasMemo()) {
            info.setMemo(a.getMemo().toByteString());
        }
        if (a.hasPriority()) {
            info.setPriority(a.getPriority().toByteString());
        }
        if (a.hasSearchAttributes()) {
            info.setSearchAttributes(a.getSearchAttributes().toByteString());
        }
    }

    private static EventApplier closed(WorkflowExecutionStatus status) {
        return (s, e) -> {
            s.getExecutionBuilder()
                    .setStatus(status.getNumber())
                    .setCloseTimeMs(Times.toMillis(e.getEventTime()))
                    .setCompletionEventId(e.getEventId());
            // A closed run has nothing pending: whatever was in flight is abandoned.
            s.clearWorkflowTask().clearActivities().clearTimers().clearExternalSignals().clearExternalCancels();
        };
    }

    private static void searchAttributesUpserted(MutableStateRecord.Builder s, HistoryEvent e) {
        SearchAttributes current = StateCodec.searchAttributes(s.getExecution());
        Map<String, Payload> merged = PayloadMaps.merge(current.getIndexedFieldsMap(),
                e.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap());
        s.getExecutionBuilder().setSearchAttributes(SearchAttributes.newBuilder().putAllIndexedFields(merged).build().toByteString());
    }

    private static void propertiesModified(MutableStateRecord.Builder s, HistoryEvent e) {
        Memo current = StateCodec.memo(s.getExecution());
        Map<String, Payload> merged = PayloadMaps.merge(current.getFieldsMap(),
                e.getWorkflowPropertiesModifiedEventAttributes().getUpsertedMemo().getFieldsMap());
        s.getExecutionBuilder().setMemo(Memo.newBuilder().putAllFields(merged).build().toByteString());
    }
}
