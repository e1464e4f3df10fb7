package io.tempora.history.tasks;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.tempora.common.proto.ChildInfo;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.rpc.Caller;
import io.tempora.common.rpc.ChildCompletion;
import io.tempora.common.rpc.HistoryService;
import io.tempora.common.rpc.ParentInfo;
import io.tempora.history.workflow.ChildStateMachine;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CancelExternalWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.SignalExternalWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.StartChildWorkflowExecutionFailedCause;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.*;
import io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import java.util.List;
import java.util.function.Function;

/**
 * Transfer tasks that act on another workflow: start a child, signal or cancel an external workflow, and
 * on close tell the parent and apply the parent close policy to children. Each reports the outcome back to
 * the initiating workflow, and checks first that the request is still pending (tasks may run twice).
 */
public final class CrossWorkflowTaskExecutor {
    private static final String IDENTITY = io.tempora.history.workflow.ServerIdentity.HISTORY_SERVICE;

    private final Workflows workflows;
    private final HistoryService history;
    private final Function<String, String> namespaceNames;

    /**
     * {@code workflows}: the task's own run (on this shard); {@code history}: every other workflow, through the router
     * (it may live on another shard or node).
     */
    public CrossWorkflowTaskExecutor(Workflows workflows, HistoryService history, Function<String, String> namespaceNames) {
        this.workflows = workflows;
        this.history = history;
        this.namespaceNames = namespaceNames;
    }

    void execute(TransferTask task, MutableStateRecord state) {
        WorkflowKey key = new WorkflowKey(task.getNamespaceId(), task.getWorkflowId(), task.getRunId());
        switch (task.getType()) {
            case TRANSFER_TASK_TYPE_START_CHILD -> startChild(key, task.getScheduledEventId(), state);
            case TRANSFER_TASK_TYPE_SIGNAL_EXTERNAL -> signalExternal(key, task.getScheduledEventId(), state);
            case TRANSFER_TASK_TYPE_CANCEL_EXTERNAL -> cancelExternal(key, task.getScheduledEventId(), state);
            case TRANSFER_TASK_TYPE_CLOSE_EXECUTION -> closed(key, state);
            default -> throw new IllegalStateException("not a cross-workflow task: " + task.getType());
        }
    }

    private HistoryEvent event(WorkflowKey key, long eventId) {
        List<HistoryEvent> events = workflows.readHistory(key, eventId, eventId + 1);
        if (events.isEmpty()) {
            throw new IllegalStateException("event " + eventId + " missing from history of " + key);
        }
        return events.getFirst();
    }

    private void startChild(WorkflowKey parent, long initiatedId, MutableStateRecord state) {
        ChildInfo child = state.getChildrenOrDefault(initiatedId, null);
        if (!isRunning(state) || child == null || child.getStartedEventId() != 0) {
            return;
        }
        HistoryEvent initiated = event(parent, initiatedId);
        var a = initiated.getStartChildWorkflowExecutionInitiatedEventAttributes();
        String namespace = namespaceNames.apply(parent.namespaceId());
        StartWorkflowExecutionRequest.Builder r = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowId(a.getWorkflowId())
                .setWorkflowType(a.getWorkflowType())
                .setTaskQueue(a.getTaskQueue())
                .setWorkflowExecutionTimeout(a.getWorkflowExecutionTimeout())
                .setWorkflowRunTimeout(a.getWorkflowRunTimeout())
                .setWorkflowTaskTimeout(a.getWorkflowTaskTimeout())
                .setIdentity(IDENTITY)
                // Deterministic: a retried task finds the child it already started.
                .setRequestId(parent.runId() + ":" + initiatedId)
                .setWorkflowIdReusePolicy(a.getWorkflowIdReusePolicy())
                .setCronSchedule(a.getCronSchedule());
        if (a.hasInput()) {
            r.setInput(a.getInput());
        }
        if (a.hasRetryPolicy()) {
            r.setRetryPolicy(a.getRetryPolicy());
        }
        if (a.hasHeader()) {
            r.setHeader(a.getHeader());
        }
        if (a.hasMemo()) {
            r.setMemo(a.getMemo());
        }
        if (a.hasSearchAttributes()) {
            r.setSearchAttributes(a.getSearchAttributes());
        }
        if (initiated.hasUserMetadata()) {
            r.setUserMetadata(initiated.getUserMetadata());
        }
        var priority = io.tempora.history.workflow.Priorities.merge(io.tempora.history.workflow.StateCodec.priority(state.getExecution()),
                a.hasPriority() ? a.getPriority() : null);
        if (!priority.equals(io.temporal.api.common.v1.Priority.getDefaultInstance())) {
            r.setPriority(priority); // what the child does not set comes from its parent
        }
        StartWorkflowExecutionResponse started;
        try {
            started = history.startChildWorkflowExecution(parent.namespaceId(), r.build(),
                    new ParentInfo(parent.namespaceId(), namespace, parent.workflowId(), parent.runId(), initiatedId,
                            rootOr(state.getExecution().getRootWorkflowId(), parent.workflowId()),
                            rootOr(state.getExecution().getRootRunId(), parent.runId())));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
            updateIfRunning(parent, ms -> {
                if (pendingUnstarted(ms, initiatedId) != null) {
                    ChildStateMachine.report(ms, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED, ev -> ev
                            .setStartChildWorkflowExecutionFailedEventAttributes(StartChildWorkflowExecutionFailedEventAttributes.newBuilder()
                                    .setNamespace(namespace)
                                    .setNamespaceId(parent.namespaceId())
                                    .setWorkflowId(a.getWorkflowId())
                                    .setWorkflowType(a.getWorkflowType())
                                    .setCause(StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS)
                                    .setControl(a.getControl())
                                    .setInitiatedEventId(initiatedId)
                                    .setWorkflowTaskCompletedEventId(a.getWorkflowTaskCompletedEventId())));
                }
            });
            return;
        }
        updateIfRunning(parent, ms -> {
            ChildInfo pending = pendingUnstarted(ms, initiatedId);
            if (pending != null) {
                ChildStateMachine.childStarted(ms, pending, namespace, started.getRunId());
            }
        });
    }

    /** A parent stored before runs knew their root is taken as the root itself. */
    private static String rootOr(String root, String parentOwn) {
        return root.isEmpty() ? parentOwn : root;
    }

    private static ChildInfo pendingUnstarted(MutableState ms, long initiatedId) {
        ChildInfo c = ms.record().getChildrenOrDefault(initiatedId, null);
        return c != null && c.getStartedEventId() == 0 ? c : null;
    }

    private void signalExternal(WorkflowKey source, long initiatedId, MutableStateRecord state) {
        if (!isRunning(state) || !state.containsExternalSignals(initiatedId)) {
            return;
        }
        var a = event(source, initiatedId).getSignalExternalWorkflowExecutionInitiatedEventAttributes();
        SignalWorkflowExecutionRequest.Builder signal = SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(a.getNamespace())
                .setWorkflowExecution(a.getWorkflowExecution())
                .setSignalName(a.getSignalName())
                .setIdentity(IDENTITY)
                .setRequestId(source.runId() + ":" + initiatedId); // deterministic: a retried task is deduplicated
        if (a.hasInput()) {
            signal.setInput(a.getInput());
        }
        if (a.hasHeader()) {
            signal.setHeader(a.getHeader());
        }
        boolean delivered = deliver(() -> history.signalWorkflowExecution(source.namespaceId(), signal.build(),
                caller(source, a.getChildWorkflowOnly())));
        report(source, ms -> ms.record().containsExternalSignals(initiatedId), delivered,
                ms -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, ev -> ev
                        .setExternalWorkflowExecutionSignaledEventAttributes(ExternalWorkflowExecutionSignaledEventAttributes.newBuilder()
                                .setInitiatedEventId(initiatedId)
                                .setNamespace(a.getNamespace())
                                .setNamespaceId(source.namespaceId())
                                .setWorkflowExecution(a.getWorkflowExecution())
                                .setControl(a.getControl()))),
                ms -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, ev -> ev
                        .setSignalExternalWorkflowExecutionFailedEventAttributes(SignalExternalWorkflowExecutionFailedEventAttributes.newBuilder()
                                .setCause(SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND)
                                .setWorkflowTaskCompletedEventId(a.getWorkflowTaskCompletedEventId())
                                .setNamespace(a.getNamespace())
                                .setNamespaceId(source.namespaceId())
                                .setWorkflowExecution(a.getWorkflowExecution())
                                .setInitiatedEventId(initiatedId)
                                .setControl(a.getControl()))));
    }

    private void cancelExternal(WorkflowKey source, long initiatedId, MutableStateRecord state) {
        if (!isRunning(state) || !state.containsExternalCancels(initiatedId)) {
            return;
        }
        var a = event(source, initiatedId).getRequestCancelExternalWorkflowExecutionInitiatedEventAttributes();
        RequestCancelWorkflowExecutionRequest cancel = RequestCancelWorkflowExecutionRequest.newBuilder()
                .setNamespace(a.getNamespace())
                .setWorkflowExecution(a.getWorkflowExecution())
                .setReason(a.getReason())
                .setIdentity(IDENTITY)
                .build();
        boolean delivered = deliver(() -> history.requestCancelWorkflowExecution(source.namespaceId(), cancel,
                caller(source, a.getChildWorkflowOnly())));
        report(source, ms -> ms.record().containsExternalCancels(initiatedId), delivered,
                ms -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED, ev -> ev
                        .setExternalWorkflowExecutionCancelRequestedEventAttributes(ExternalWorkflowExecutionCancelRequestedEventAttributes.newBuilder()
                                .setInitiatedEventId(initiatedId)
                                .setNamespace(a.getNamespace())
                                .setNamespaceId(source.namespaceId())
                                .setWorkflowExecution(a.getWorkflowExecution()))),
                ms -> ChildStateMachine.report(ms, EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED, ev -> ev
                        .setRequestCancelExternalWorkflowExecutionFailedEventAttributes(RequestCancelExternalWorkflowExecutionFailedEventAttributes.newBuilder()
                                .setCause(CancelExternalWorkflowExecutionFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND)
                                .setWorkflowTaskCompletedEventId(a.getWorkflowTaskCompletedEventId())
                                .setNamespace(a.getNamespace())
                                .setNamespaceId(source.namespaceId())
                                .setWorkflowExecution(a.getWorkflowExecution())
                                .setInitiatedEventId(initiatedId)
                                .setControl(a.getControl()))));
    }

    private static Caller caller(WorkflowKey source, boolean childWorkflowOnly) {
        return Caller.workflow(source.namespaceId(), source.workflowId(), source.runId(), childWorkflowOnly);
    }

    /** Acts on the target workflow; false when it does not exist or is closed. */
    private static boolean deliver(Runnable action) {
        try {
            action.run();
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
            return false;
        }
    }

    /** Records the outcome in the initiating workflow, once (the request must still be pending there). */
    private void report(WorkflowKey source, java.util.function.Predicate<MutableState> stillPending, boolean delivered,
                        java.util.function.Consumer<MutableState> onDelivered, java.util.function.Consumer<MutableState> onFailed) {
        updateIfRunning(source, ms -> {
            if (stillPending.test(ms)) {
                (delivered ? onDelivered : onFailed).accept(ms);
            }
        });
    }

    /** A run closed: report its result to its parent, then apply the parent close policy to its own children. */
    private void closed(WorkflowKey key, MutableStateRecord state) {
        ExecutionInfo info = state.getExecution();
        if (!info.getParentWorkflowId().isEmpty()) {
            HistoryEvent close = event(key, info.getCompletionEventId());
            // A run that continues in a new run (continue-as-new, retry, cron) is not the child's end: the last run reports.
            boolean continued = info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW_VALUE
                    || !io.tempora.history.workflow.CloseEvents.nextRunId(close).isEmpty();
            if (!continued) {
                reportToParent(key, state, close);
            }
        }
        for (ChildInfo child : state.getChildrenMap().values()) {
            applyParentClosePolicy(key, child);
        }
        // Done: a deletion that waited for this task goes ahead.
        if (workflows.update(key, ChildStateMachine::closeProcessed)) {
            workflows.delete(key);
        }
    }

    /**
     * Terminates or cancels a child as its parent close policy says, as the official server does: the child's
     * current run, if it belongs to the chain the parent started (its first run) and is this parent's child.
     */
    private void applyParentClosePolicy(WorkflowKey parent, ChildInfo child) {
        ParentClosePolicy policy = ParentClosePolicy.forNumber(child.getParentClosePolicy());
        if (policy == ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON) {
            return;
        }
        String namespace = namespaceNames.apply(parent.namespaceId());
        WorkflowExecution target = WorkflowExecution.newBuilder().setWorkflowId(child.getWorkflowId()).build();
        Caller caller = caller(parent, true);
        try {
            if (policy == ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL) {
                history.requestCancelWorkflowExecution(parent.namespaceId(), RequestCancelWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace).setWorkflowExecution(target).setFirstExecutionRunId(child.getRunId())
                        .setReason("by parent close policy").setIdentity(IDENTITY).build(), caller);
            } else {
                history.terminateWorkflowExecution(parent.namespaceId(), TerminateWorkflowExecutionRequest.newBuilder()
                        .setNamespace(namespace).setWorkflowExecution(target).setFirstExecutionRunId(child.getRunId())
                        .setReason("by parent close policy").setIdentity(IDENTITY).build(), caller);
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e; // retried; a child that is gone, closed or not ours is fine
            }
        }
    }

    private void reportToParent(WorkflowKey child, MutableStateRecord state, HistoryEvent close) {
        ExecutionInfo info = state.getExecution();
        try {
            history.recordChildExecutionCompleted(new ChildCompletion(info.getParentNamespaceId(),
                    WorkflowExecution.newBuilder().setWorkflowId(info.getParentWorkflowId()).setRunId(info.getParentRunId()).build(),
                    info.getParentInitiatedEventId(), child.namespaceId(), namespaceNames.apply(child.namespaceId()),
                    WorkflowExecution.newBuilder().setWorkflowId(child.workflowId()).setRunId(child.runId()).build(),
                    info.getWorkflowType(), close));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e; // the parent is gone: nothing to tell
            }
        }
    }

    private void updateIfRunning(WorkflowKey key, java.util.function.Consumer<MutableState> action) {
        workflows.update(key, ms -> {
            if (ms.isRunning()) {
                action.accept(ms);
            }
            return null;
        });
    }

    private static boolean isRunning(MutableStateRecord state) {
        return state.getExecution().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }
}
