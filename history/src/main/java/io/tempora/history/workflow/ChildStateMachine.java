package io.tempora.history.workflow;

import io.tempora.common.proto.ChildInfo;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.TransferTaskType;
import io.temporal.api.command.v1.RequestCancelExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.SignalExternalWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes;
import io.temporal.api.history.v1.SignalExternalWorkflowExecutionInitiatedEventAttributes;
import io.temporal.api.history.v1.StartChildWorkflowExecutionInitiatedEventAttributes;
import java.util.function.Consumer;

/**
 * Child workflows and messages to other workflows. Commands record an "initiated" event and an outbox task;
 * the task's executor acts on the other workflow and reports back here with the outcome event.
 */
public final class ChildStateMachine {
    private ChildStateMachine() {}

    public static void initiateChild(MutableState ms, String namespace, StartChildWorkflowExecutionCommandAttributes a, long wftCompletedEventId) {
        var event = ms.addEvent(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, e -> {
            var b = StartChildWorkflowExecutionInitiatedEventAttributes.newBuilder()
                    .setNamespace(namespace)
                    .setNamespaceId(ms.key().namespaceId())
                    .setWorkflowId(a.getWorkflowId())
                    .setWorkflowType(a.getWorkflowType())
                    .setTaskQueue(a.getTaskQueue())
                    .setWorkflowExecutionTimeout(a.getWorkflowExecutionTimeout())
                    .setWorkflowRunTimeout(a.getWorkflowRunTimeout())
                    .setWorkflowTaskTimeout(a.getWorkflowTaskTimeout())
                    .setParentClosePolicy(a.getParentClosePolicy())
                    .setControl(a.getControl())
                    .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                    .setWorkflowIdReusePolicy(a.getWorkflowIdReusePolicy())
                    .setCronSchedule(a.getCronSchedule());
            if (a.hasInput()) {
                b.setInput(a.getInput());
            }
            if (a.hasRetryPolicy()) {
                b.setRetryPolicy(a.getRetryPolicy());
            }
            if (a.hasHeader()) {
                b.setHeader(a.getHeader());
            }
            if (a.hasMemo()) {
                b.setMemo(a.getMemo());
            }
            if (a.hasSearchAttributes()) {
                b.setSearchAttributes(a.getSearchAttributes());
            }
            if (a.hasPriority()) {
                b.setPriority(a.getPriority());
            }
            e.setStartChildWorkflowExecutionInitiatedEventAttributes(b);
        });
        ms.addTransferTask(TransferTask.newBuilder().setType(TransferTaskType.TRANSFER_TASK_TYPE_START_CHILD).setScheduledEventId(event.getEventId()));
    }

    public static void initiateSignal(MutableState ms, String namespace, SignalExternalWorkflowExecutionCommandAttributes a, long wftCompletedEventId) {
        var event = ms.addEvent(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, e -> {
            var b = SignalExternalWorkflowExecutionInitiatedEventAttributes.newBuilder()
                    .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                    .setNamespace(namespace)
                    .setNamespaceId(ms.key().namespaceId())
                    .setWorkflowExecution(a.getExecution())
                    .setSignalName(a.getSignalName())
                    .setControl(a.getControl())
                    .setChildWorkflowOnly(a.getChildWorkflowOnly());
            if (a.hasInput()) {
                b.setInput(a.getInput());
            }
            if (a.hasHeader()) {
                b.setHeader(a.getHeader());
            }
            e.setSignalExternalWorkflowExecutionInitiatedEventAttributes(b);
        });
        ms.addTransferTask(TransferTask.newBuilder().setType(TransferTaskType.TRANSFER_TASK_TYPE_SIGNAL_EXTERNAL).setScheduledEventId(event.getEventId()));
    }

    public static void initiateCancel(MutableState ms, String namespace, RequestCancelExternalWorkflowExecutionCommandAttributes a,
                                      long wftCompletedEventId) {
        var event = ms.addEvent(EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, e -> e
                .setRequestCancelExternalWorkflowExecutionInitiatedEventAttributes(RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.newBuilder()
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                        .setNamespace(namespace)
                        .setNamespaceId(ms.key().namespaceId())
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(a.getWorkflowId()).setRunId(a.getRunId()))
                        .setControl(a.getControl())
                        .setChildWorkflowOnly(a.getChildWorkflowOnly())
                        .setReason(a.getReason())));
        ms.addTransferTask(TransferTask.newBuilder().setType(TransferTaskType.TRANSFER_TASK_TYPE_CANCEL_EXTERNAL).setScheduledEventId(event.getEventId()));
    }

    /** Reports an outcome event of the other workflow and lets the workflow react in a new task. */
    public static long report(MutableState ms, EventType type, Consumer<HistoryEvent.Builder> attributes) {
        long id = ms.addExternalEvent(type, attributes);
        WorkflowTaskStateMachine.scheduleIfNone(ms);
        return id;
    }

    /** Records the child's start; needed first when its result arrives before the start was recorded. */
    public static long childStarted(MutableState ms, ChildInfo child, String namespace, String runId) {
        return report(ms, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, e -> e.setChildWorkflowExecutionStartedEventAttributes(
                io.temporal.api.history.v1.ChildWorkflowExecutionStartedEventAttributes.newBuilder()
                        .setNamespace(namespace)
                        .setNamespaceId(ms.key().namespaceId())
                        .setInitiatedEventId(child.getInitiatedEventId())
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(child.getWorkflowId()).setRunId(runId))
                        .setWorkflowType(WorkflowType.newBuilder().setName(child.getWorkflowType()))));
    }

    /**
     * The transfer task that tells the parent about this run's close and applies the parent close policies; until it
     * finished ({@link #closeProcessed}) the run must not be deleted.
     */
    static void closeTask(MutableState ms) {
        if (!ms.execution().getParentWorkflowId().isEmpty() || ms.record().getChildrenCount() > 0) {
            ms.addTransferTask(TransferTask.newBuilder().setType(TransferTaskType.TRANSFER_TASK_TYPE_CLOSE_EXECUTION));
            ms.mutableRecord().getExecutionBuilder().setCloseTaskPending(true);
        }
    }

    /** The close task finished. Returns whether a deletion waited for it. */
    public static boolean closeProcessed(MutableState ms) {
        if (!ms.execution().getCloseTaskPending()) {
            return false;
        }
        ms.mutableRecord().getExecutionBuilder().setCloseTaskPending(false);
        ms.markChanged();
        return ms.execution().getDeleteAfterClose();
    }

    /**
     * DeleteWorkflowExecution on a closed run: true when it can be deleted now; otherwise its close task is still
     * to finish and deletes it then (a parent must still learn of the close, children still get their policy).
     */
    public static boolean deleteOrDefer(MutableState ms) {
        if (!ms.execution().getCloseTaskPending()) {
            return true;
        }
        if (!ms.execution().getDeleteAfterClose()) {
            ms.mutableRecord().getExecutionBuilder().setDeleteAfterClose(true);
            ms.markChanged();
        }
        return false;
    }
}
