package io.tempora.history.api;

import io.tempora.common.proto.ChildInfo;
import io.tempora.common.rpc.ChildCompletion;
import io.tempora.history.workflow.ChildStateMachine;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ChildWorkflowExecutionCanceledEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionCompletedEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionFailedEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionTerminatedEventAttributes;
import io.temporal.api.history.v1.ChildWorkflowExecutionTimedOutEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;

/**
 * RecordChildExecutionCompleted: a child closed for good and its parent, if still running and still waiting for
 * it, records the outcome (the start first, when the child closed before its start was recorded).
 */
public final class ChildCompletions {
    private final Workflows workflows;

    public ChildCompletions(Workflows workflows) {
        this.workflows = workflows;
    }

    public void record(ChildCompletion c) {
        WorkflowKey parent = new WorkflowKey(c.parentNamespaceId(), c.parent().getWorkflowId(), c.parent().getRunId());
        workflows.update(parent, ms -> {
            ChildInfo pending = ms.isRunning() ? ms.record().getChildrenOrDefault(c.initiatedEventId(), null) : null;
            if (pending != null) {
                report(ms, pending, c);
            }
            return null;
        });
    }

    private static void report(MutableState ms, ChildInfo pending, ChildCompletion c) {
        long initiatedId = c.initiatedEventId();
        String namespace = c.childNamespace();
        WorkflowExecution execution = c.child();
        WorkflowKey child = new WorkflowKey(c.childNamespaceId(), execution.getWorkflowId(), execution.getRunId());
        WorkflowType type = WorkflowType.newBuilder().setName(c.workflowType()).build();
        HistoryEvent close = c.closeEvent();
        long startedId = pending.getStartedEventId() != 0 ? pending.getStartedEventId()
                : ChildStateMachine.childStarted(ms, pending, namespace, child.runId());
        switch (close.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
                    ev -> {
                        var b = ChildWorkflowExecutionCompletedEventAttributes.newBuilder().setNamespace(namespace)
                                .setNamespaceId(child.namespaceId()).setWorkflowExecution(execution).setWorkflowType(type)
                                .setInitiatedEventId(initiatedId).setStartedEventId(startedId);
                        if (close.getWorkflowExecutionCompletedEventAttributes().hasResult()) {
                            b.setResult(close.getWorkflowExecutionCompletedEventAttributes().getResult());
                        }
                        ev.setChildWorkflowExecutionCompletedEventAttributes(b);
                    });
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
                    ev -> ev.setChildWorkflowExecutionFailedEventAttributes(ChildWorkflowExecutionFailedEventAttributes.newBuilder()
                            .setFailure(close.getWorkflowExecutionFailedEventAttributes().getFailure())
                            .setNamespace(namespace).setNamespaceId(child.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedId).setStartedEventId(startedId)
                            .setRetryState(close.getWorkflowExecutionFailedEventAttributes().getRetryState())));
            case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED,
                    ev -> {
                        var b = ChildWorkflowExecutionCanceledEventAttributes.newBuilder().setNamespace(namespace)
                                .setNamespaceId(child.namespaceId()).setWorkflowExecution(execution).setWorkflowType(type)
                                .setInitiatedEventId(initiatedId).setStartedEventId(startedId);
                        if (close.getWorkflowExecutionCanceledEventAttributes().hasDetails()) {
                            b.setDetails(close.getWorkflowExecutionCanceledEventAttributes().getDetails());
                        }
                        ev.setChildWorkflowExecutionCanceledEventAttributes(b);
                    });
            case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
                    ev -> ev.setChildWorkflowExecutionTimedOutEventAttributes(ChildWorkflowExecutionTimedOutEventAttributes.newBuilder()
                            .setNamespace(namespace).setNamespaceId(child.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedId).setStartedEventId(startedId)
                            .setRetryState(close.getWorkflowExecutionTimedOutEventAttributes().getRetryState())));
            default -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED,
                    ev -> ev.setChildWorkflowExecutionTerminatedEventAttributes(ChildWorkflowExecutionTerminatedEventAttributes.newBuilder()
                            .setNamespace(namespace).setNamespaceId(child.namespaceId()).setWorkflowExecution(execution)
                            .setWorkflowType(type).setInitiatedEventId(initiatedId).setStartedEventId(startedId)));
        }
    }
}
