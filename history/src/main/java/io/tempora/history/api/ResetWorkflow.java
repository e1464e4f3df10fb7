package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.TimerInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TimerTaskType;
import io.tempora.history.workflow.ActivityStateMachine;
import io.tempora.history.workflow.ExecutionStateMachine;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.SignalStateMachine;
import io.tempora.history.workflow.TimerStateMachine;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.WorkflowTaskStateMachine;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ResetReapplyExcludeType;
import io.temporal.api.enums.v1.ResetReapplyType;
import io.temporal.api.enums.v1.UpdateAdmittedEventOrigin;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.ResetWorkflowFailureInfo;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionUpdateAdmittedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * ResetWorkflowExecution: a new run gets the base run's history up to a workflow task's start, that task is
 * failed with cause RESET_WORKFLOW (the reason as its failure), signals and updates received after the reset
 * point are applied again (as the reapply type and excludes say), and the base run is terminated, all in one
 * transaction.
 */
public final class ResetWorkflow {
    private static final Set<EventType> FINISH_EVENTS = EnumSet.of(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT);

    private final Workflows workflows;

    public ResetWorkflow(Workflows workflows) {
        this.workflows = workflows;
    }

    public ResetWorkflowExecutionResponse reset(String namespaceId, ResetWorkflowExecutionRequest request) {
        WorkflowKey base = workflows.resolve(namespaceId, request.getWorkflowExecution().getWorkflowId(), request.getWorkflowExecution().getRunId());
        String current = workflows.current(namespaceId, base.workflowId()).map(c -> c.runId()).orElse("");
        if (!current.equals(base.runId())) {
            throw ServiceErrors.invalidArgument("Resetting a run that is not the workflow's current run is not supported yet.");
        }
        long finishId = request.getWorkflowTaskFinishEventId();
        String newRunId = UUID.randomUUID().toString();
        workflows.update(base, ms -> {
            // Read under the run's lock so no signal can slip in between the read and the reset.
            List<HistoryEvent> history = workflows.readHistory(base, 1, ms.nextEventId());
            if (finishId <= 1 || finishId > history.size()) {
                throw ServiceErrors.invalidArgument("Workflow task finish ID must be > 1 && <= workflow last event ID.");
            }
            if (!FINISH_EVENTS.contains(history.get((int) finishId - 1).getEventType())) {
                throw ServiceErrors.invalidArgument("Invalid WorkflowTaskFinishEventId " + finishId
                        + ": it must be a WorkflowTaskCompleted, WorkflowTaskFailed or WorkflowTaskTimedOut event.");
            }
            List<HistoryEvent> copied = List.copyOf(history.subList(0, (int) finishId - 1));
            Set<EventType> reapplied = reappliedTypes(request);
            List<HistoryEvent> later = new java.util.ArrayList<>();
            history.subList((int) finishId - 1, history.size()).stream()
                    .filter(e -> reapplied.contains(e.getEventType())).forEach(later::add);
            // Signals still buffered behind a running workflow task count too.
            ms.record().getBufferedEventsList().stream().map(io.tempora.history.workflow.StateCodec::event)
                    .filter(e -> reapplied.contains(e.getEventType())).forEach(later::add);
            if (ms.isRunning()) {
                ExecutionStateMachine.terminate(ms, request.getReason(), null, request.getIdentity().isEmpty() ? io.tempora.history.workflow.ServerIdentity.HISTORY_SERVICE : request.getIdentity());
            }
            ms.setContinuedRun(newRun(new WorkflowKey(namespaceId, base.workflowId(), newRunId), base.runId(), copied, later,
                    request.getReason(), request.getIdentity(), ms.now()));
            return null;
        });
        return ResetWorkflowExecutionResponse.newBuilder().setRunId(newRunId).build();
    }

    private static final Set<EventType> SIGNAL_EVENTS = EnumSet.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    private static final Set<EventType> UPDATE_EVENTS = EnumSet.of(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);

    /**
     * The events after the reset point that the new run gets again: signals and updates by default
     * (ALL_ELIGIBLE), signals only for the deprecated SIGNAL type, nothing for NONE, minus the excluded kinds.
     */
    private static Set<EventType> reappliedTypes(ResetWorkflowExecutionRequest request) {
        EnumSet<EventType> types = EnumSet.noneOf(EventType.class);
        ResetReapplyType type = request.getResetReapplyType();
        if (type != ResetReapplyType.RESET_REAPPLY_TYPE_NONE) {
            types.addAll(SIGNAL_EVENTS);
            if (type != ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL) {
                types.addAll(UPDATE_EVENTS);
            }
        }
        if (request.getResetReapplyExcludeTypesList().contains(ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL)) {
            types.removeAll(SIGNAL_EVENTS);
        }
        if (request.getResetReapplyExcludeTypesList().contains(ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE)) {
            types.removeAll(UPDATE_EVENTS);
        }
        return types;
    }

    /** A signal is signaled again; an update is admitted again through an UpdateAdmitted event, which the worker reads. */
    private static void reapply(MutableState ms, HistoryEvent event) {
        switch (event.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> {
                var a = event.getWorkflowExecutionSignaledEventAttributes();
                SignalStateMachine.signal(ms, a.getSignalName(), a.hasInput() ? a.getInput() : null, a.getIdentity(),
                        a.hasHeader() ? a.getHeader() : null, "");
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED -> {
                var a = event.getWorkflowExecutionUpdateAcceptedEventAttributes();
                if (a.hasAcceptedRequest()) { // else an UpdateAdmitted event before it holds the request
                    admitUpdate(ms, a.getAcceptedRequest(), UpdateAdmittedEventOrigin.UPDATE_ADMITTED_EVENT_ORIGIN_REAPPLY);
                }
            }
            case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED -> {
                var a = event.getWorkflowExecutionUpdateAdmittedEventAttributes();
                admitUpdate(ms, a.getRequest(), a.getOrigin());
            }
            default -> throw new IllegalStateException("not a reapplied event: " + event.getEventType());
        }
    }

    private static void admitUpdate(MutableState ms, io.temporal.api.update.v1.Request request, UpdateAdmittedEventOrigin origin) {
        if (ms.record().containsUpdates(request.getMeta().getUpdateId())) {
            return;
        }
        ms.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED, e -> e.setWorkflowExecutionUpdateAdmittedEventAttributes(
                WorkflowExecutionUpdateAdmittedEventAttributes.newBuilder().setRequest(request).setOrigin(origin)));
    }

    private static MutableState newRun(WorkflowKey key, String baseRunId, List<HistoryEvent> copied, List<HistoryEvent> reapplied,
                                       String reason, String identity, long now) {
        MutableState ms = MutableState.fromHistory(key, copied, now);
        var wt = ms.workflowTask();
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, e -> e.setWorkflowTaskFailedEventAttributes(
                WorkflowTaskFailedEventAttributes.newBuilder()
                        .setScheduledEventId(wt.getScheduledEventId())
                        .setStartedEventId(wt.getStartedEventId())
                        .setCause(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW)
                        .setFailure(Failure.newBuilder().setMessage(reason).setResetWorkflowFailureInfo(ResetWorkflowFailureInfo.getDefaultInstance()))
                        .setIdentity(identity)
                        .setBaseRunId(baseRunId)
                        .setNewRunId(key.runId())));
        for (HistoryEvent event : reapplied) {
            reapply(ms, event);
        }
        WorkflowTaskStateMachine.scheduleIfNoneIgnoringBackoff(ms);
        // Work that was pending at the reset point continues in the new run.
        for (ActivityInfo ai : List.copyOf(ms.record().getActivitiesMap().values())) {
            ActivityStateMachine.refreshTasks(ms, ai);
        }
        for (TimerInfo timer : List.copyOf(ms.record().getTimersMap().values())) {
            TimerStateMachine.refreshTask(ms, timer);
        }
        long runExpiration = ms.execution().getRunExpirationMs();
        if (runExpiration > 0) {
            ms.addTimerTask(TimerTask.newBuilder().setType(TimerTaskType.TIMER_TASK_TYPE_WORKFLOW_RUN_TIMEOUT).setFireTimeMs(runExpiration));
        }
        return ms;
    }
}
