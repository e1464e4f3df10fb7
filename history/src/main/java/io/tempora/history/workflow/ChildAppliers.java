package io.tempora.history.workflow;

import io.tempora.common.proto.ChildInfo;
import io.tempora.common.proto.ExternalRequestInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.Map;

/** Appliers for child workflows and for signals/cancellations sent to other workflows. */
final class ChildAppliers {
    private ChildAppliers() {}

    static void register(Map<EventType, EventApplier> table) {
        table.put(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, ChildAppliers::childInitiated);
        table.put(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, ChildAppliers::childStarted);
        table.put(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED,
                (s, e) -> s.removeChildren(e.getStartChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId()));
        table.put(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
                (s, e) -> s.removeChildren(e.getChildWorkflowExecutionCompletedEventAttributes().getInitiatedEventId()));
        table.put(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
                (s, e) -> s.removeChildren(e.getChildWorkflowExecutionFailedEventAttributes().getInitiatedEventId()));
        table.put(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
                (s, e) -> s.removeChildren(e.getChildWorkflowExecutionCanceledEventAttributes().getInitiatedEventId()));
        table.put(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
                (s, e) -> s.removeChildren(e.getChildWorkflowExecutionTimedOutEventAttributes().getInitiatedEventId()));
        table.put(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
                (s, e) -> s.removeChildren(e.getChildWorkflowExecutionTerminatedEventAttributes().getInitiatedEventId()));

        table.put(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, (s, e) -> {
            var a = e.getSignalExternalWorkflowExecutionInitiatedEventAttributes();
            s.putExternalSignals(e.getEventId(), ExternalRequestInfo.newBuilder().setInitiatedEventId(e.getEventId())
                    .setWorkflowId(a.getWorkflowExecution().getWorkflowId()).setRunId(a.getWorkflowExecution().getRunId()).build());
        });
        table.put(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
                (s, e) -> s.removeExternalSignals(e.getExternalWorkflowExecutionSignaledEventAttributes().getInitiatedEventId()));
        table.put(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
                (s, e) -> s.removeExternalSignals(e.getSignalExternalWorkflowExecutionFailedEventAttributes().getInitiatedEventId()));

        table.put(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, (s, e) -> {
            var a = e.getRequestCancelExternalWorkflowExecutionInitiatedEventAttributes();
            s.putExternalCancels(e.getEventId(), ExternalRequestInfo.newBuilder().setInitiatedEventId(e.getEventId())
                    .setWorkflowId(a.getWorkflowExecution().getWorkflowId()).setRunId(a.getWorkflowExecution().getRunId()).build());
        });
        table.put(EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                (s, e) -> s.removeExternalCancels(e.getExternalWorkflowExecutionCancelRequestedEventAttributes().getInitiatedEventId()));
        table.put(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED,
                (s, e) -> s.removeExternalCancels(e.getRequestCancelExternalWorkflowExecutionFailedEventAttributes().getInitiatedEventId()));
    }

    private static void childInitiated(MutableStateRecord.Builder s, HistoryEvent e) {
        var a = e.getStartChildWorkflowExecutionInitiatedEventAttributes();
        s.putChildren(e.getEventId(), ChildInfo.newBuilder()
                .setInitiatedEventId(e.getEventId())
                .setWorkflowId(a.getWorkflowId())
                .setWorkflowType(a.getWorkflowType().getName())
                .setNamespace(a.getNamespace())
                .setParentClosePolicy(a.getParentClosePolicyValue())
                .build());
    }

    private static void childStarted(MutableStateRecord.Builder s, HistoryEvent e) {
        var a = e.getChildWorkflowExecutionStartedEventAttributes();
        ChildInfo child = s.getChildrenOrDefault(a.getInitiatedEventId(), null);
        if (child != null) {
            s.putChildren(a.getInitiatedEventId(), child.toBuilder()
                    .setRunId(a.getWorkflowExecution().getRunId()).setStartedEventId(e.getEventId()).build());
        }
    }
}
