package io.tempora.history.command;

import io.tempora.common.Limits;
import io.tempora.common.ServiceErrors;
import io.tempora.common.Times;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.TimerInfo;
import io.tempora.common.searchattribute.CustomSearchAttributes;
import io.tempora.common.searchattribute.SearchAttributeValidator;
import io.tempora.history.workflow.ActivityStateMachine;
import io.tempora.history.workflow.ChildStateMachine;
import io.tempora.common.CronSchedules;
import io.tempora.history.workflow.ExecutionStateMachine;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.RetryPolicies;
import io.tempora.history.workflow.TimerStateMachine;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import io.temporal.api.history.v1.UpsertWorkflowSearchAttributesEventAttributes;
import io.temporal.api.history.v1.WorkflowPropertiesModifiedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns the commands of a completed workflow task into events, one handler per command type, validating each
 * command's attributes the way the official server does (command_attr_validator.go).
 */
public final class CommandHandlers {
    private final Limits limits;
    private final java.util.function.Function<String, java.util.Optional<NamespaceRecord>> namespaces;
    private final SearchAttributeValidator searchAttributes;

    /** {@code namespaces} finds a namespace by id: events name it, and its registered search attributes are checked. */
    public CommandHandlers(Limits limits, java.util.function.Function<String, java.util.Optional<NamespaceRecord>> namespaces) {
        this.limits = limits;
        this.namespaces = namespaces;
        this.searchAttributes = SearchAttributeValidator.of(limits);
        register();
    }

    private String namespaceName(String namespaceId) {
        return namespaces.apply(namespaceId).map(NamespaceRecord::getName).orElse(namespaceId);
    }

    /** A command's search attributes, checked and typed; a bad one fails the task with {@code cause}, a size violation also ends the run. */
    private io.temporal.api.common.v1.SearchAttributes validSearchAttributes(MutableState ms, io.temporal.api.common.v1.SearchAttributes sa,
                                                                             WorkflowTaskFailedCause cause) {
        var ns = namespaces.apply(ms.key().namespaceId());
        try {
            return searchAttributes.validate(sa, ns.map(NamespaceRecord::getName).orElse(ms.key().namespaceId()),
                    ns.map(CustomSearchAttributes::of).orElse(java.util.Map.of()));
        } catch (SearchAttributeValidator.InvalidSearchAttributesException e) {
            throw e.sizeLimit() ? BadCommandException.sizeLimitExceeded(cause, e.getMessage()) : new BadCommandException(cause, e.getMessage());
        }
    }

    /** A close command must be the last one; checked before anything is handled (INVALID_ARGUMENT, nothing written). */
    public static void validateSequence(List<Command> commands) {
        for (Command c : commands) {
            if (c.getCommandType() == CommandType.COMMAND_TYPE_UNSPECIFIED || c.getCommandType() == CommandType.UNRECOGNIZED) {
                // Printed as the official server's Go enums print: the short name, or the number when unknown.
                throw ServiceErrors.invalidArgument("unknown command type: " + (c.getCommandType() == CommandType.UNRECOGNIZED
                        ? String.valueOf(c.getCommandTypeValue()) : shortName(c.getCommandType())));
            }
        }
        for (int i = 0; i < commands.size() - 1; i++) {
            if (isClose(commands.get(i).getCommandType())) {
                String types = commands.stream().map(c -> shortName(c.getCommandType())).collect(Collectors.joining(", "));
                throw ServiceErrors.invalidArgument("invalid command sequence: [" + types + "], command "
                        + shortName(commands.get(i).getCommandType()) + " must be the last command.");
            }
        }
    }

    public static boolean isClose(CommandType type) {
        return type == CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION
                || type == CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION
                || type == CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION
                || type == CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION;
    }

    /** "COMMAND_TYPE_START_TIMER" -> "StartTimer", as the official server prints command types. */
    static String shortName(CommandType type) {
        StringBuilder sb = new StringBuilder();
        for (String part : type.name().replace("COMMAND_TYPE_", "").split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return sb.toString();
    }

    /** ScheduleActivityTask with eager dispatch: validated like any, returns the scheduled event id. */
    public long scheduleEagerActivity(MutableState ms, Command command, long wftCompletedEventId) {
        ms.attachUserMetadataToNextEvent(command.hasUserMetadata() ? command.getUserMetadata() : null);
        try {
            return ActivityStateMachine.schedule(ms, validateActivity(ms, command.getScheduleActivityTaskCommandAttributes()),
                    wftCompletedEventId, true);
        } finally {
            ms.attachUserMetadataToNextEvent(null);
        }
    }

    public void handle(MutableState ms, Command command, long wftCompletedEventId, String identity) {
        ms.attachUserMetadataToNextEvent(command.hasUserMetadata() ? command.getUserMetadata() : null);
        try {
            dispatch(ms, command, wftCompletedEventId, identity);
        } finally {
            ms.attachUserMetadataToNextEvent(null);
        }
    }

    /** Handles one command type: validates its attributes and applies it to the run (events, state, tasks). */
    @FunctionalInterface
    private interface CommandHandler {
        void handle(MutableState ms, Command command, long wftCompletedEventId, String identity);
    }

    private final java.util.Map<CommandType, CommandHandler> handlers = new java.util.EnumMap<>(CommandType.class);

    /** The command table, as the event appliers' table: one handler per command type. */
    private void register() {
        handlers.put(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK, (ms, c, wft, id) ->
                ActivityStateMachine.schedule(ms, validateActivity(ms, c.getScheduleActivityTaskCommandAttributes()), wft));
        handlers.put(CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK, (ms, c, wft, id) ->
                cancelActivity(ms, c.getRequestCancelActivityTaskCommandAttributes().getScheduledEventId(), wft, id));
        handlers.put(CommandType.COMMAND_TYPE_START_TIMER, (ms, c, wft, id) ->
                TimerStateMachine.start(ms, validateTimer(ms, c.getStartTimerCommandAttributes()), wft));
        handlers.put(CommandType.COMMAND_TYPE_CANCEL_TIMER, (ms, c, wft, id) -> cancelTimer(ms, c.getCancelTimerCommandAttributes().getTimerId(), wft, id));
        handlers.put(CommandType.COMMAND_TYPE_RECORD_MARKER, (ms, c, wft, id) -> recordMarker(ms, c, wft));
        handlers.put(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, (ms, c, wft, id) -> completeWorkflow(ms, c, wft));
        handlers.put(CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION, (ms, c, wft, id) -> failWorkflow(ms, c, wft));
        handlers.put(CommandType.COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION, (ms, c, wft, id) -> {
            var a = c.getCancelWorkflowExecutionCommandAttributes();
            ExecutionStateMachine.cancel(ms, a.hasDetails() ? a.getDetails() : null, wft);
        });
        handlers.put(CommandType.COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION, (ms, c, wft, id) -> continueAsNew(ms, c, wft));
        handlers.put(CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION, (ms, c, wft, id) ->
                ChildStateMachine.initiateChild(ms, sameNamespace(ms, c.getStartChildWorkflowExecutionCommandAttributes().getNamespace(),
                                WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES),
                        validateChild(ms, c.getStartChildWorkflowExecutionCommandAttributes()), wft));
        handlers.put(CommandType.COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION, (ms, c, wft, id) -> signalExternal(ms, c, wft));
        handlers.put(CommandType.COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION, (ms, c, wft, id) -> cancelExternal(ms, c, wft));
        handlers.put(CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, (ms, c, wft, id) -> upsertSearchAttributes(ms, c, wft));
        handlers.put(CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES, (ms, c, wft, id) -> modifyProperties(ms, c, wft));
    }

    private void dispatch(MutableState ms, Command command, long wftCompletedEventId, String identity) {
        CommandHandler handler = handlers.get(command.getCommandType());
        if (handler == null) {
            throw unsupported(command);
        }
        handler.handle(ms, command, wftCompletedEventId, identity);
    }

    /** A command type this server does not implement (Nexus): the workflow task fails with the command's cause. */
    private static RuntimeException unsupported(Command command) {
        WorkflowTaskFailedCause cause = command.getCommandType() == CommandType.COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION
                ? WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_NEXUS_OPERATION_ATTRIBUTES
                : WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES;
        return new BadCommandException(cause, shortName(command.getCommandType()) + " is not supported by this server.");
    }

    private void completeWorkflow(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getCompleteWorkflowExecutionCommandAttributes();
        // The official server reports this size violation with the schedule-activity cause.
        checkBlob(a.getResult().getSerializedSize(), WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES,
                "CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.");
        ExecutionStateMachine.complete(ms, a.hasResult() ? a.getResult() : null, wftCompletedEventId);
    }

    private void failWorkflow(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getFailWorkflowExecutionCommandAttributes();
        if (!a.hasFailure()) {
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_FAIL_WORKFLOW_EXECUTION_ATTRIBUTES,
                    "Failure is not set on command.");
        }
        checkBlob(a.getFailure().getSerializedSize(), WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_FAIL_WORKFLOW_EXECUTION_ATTRIBUTES,
                "FailWorkflowExecutionCommandAttributes.Failure exceeds size limit.");
        ExecutionStateMachine.fail(ms, a.getFailure(), wftCompletedEventId);
    }

    private void continueAsNew(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getContinueAsNewWorkflowExecutionCommandAttributes();
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CONTINUE_AS_NEW_ATTRIBUTES;
        checkBlob(a.getInput().getSerializedSize(), bad, "ContinueAsNewWorkflowExecutionCommandAttributes.Input exceeds size limit.");
        String queue = a.getTaskQueue().getName().isEmpty() ? ms.execution().getTaskQueue() : a.getTaskQueue().getName();
        String workflowType = a.getWorkflowType().getName();
        io.tempora.common.TaskQueueNames.problem(queue, limits.maxIdLength()).ifPresent(p -> {
            throw new BadCommandException(bad, "error validating ContinueAsNewWorkflowExecutionCommand TaskQueue: " + p
                    + ". WorkflowType=" + workflowType + " TaskQueue=" + queue);
        });
        if (a.hasSearchAttributes()) {
            a = a.toBuilder().setSearchAttributes(validSearchAttributes(ms, a.getSearchAttributes(), bad)).build();
        }
        ExecutionStateMachine.continueAsNew(ms, a, wftCompletedEventId);
    }

    private void signalExternal(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getSignalExternalWorkflowExecutionCommandAttributes();
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SIGNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
        if (a.getExecution().getWorkflowId().isEmpty()) {
            throw new BadCommandException(bad, "WorkflowId is not set on command.");
        }
        if (a.getSignalName().isEmpty()) {
            throw new BadCommandException(bad, "SignalName is not set on command.");
        }
        checkBlob(a.getInput().getSerializedSize(), bad, "SignalExternalWorkflowExecutionCommandAttributes.Input exceeds size limit.");
        ChildStateMachine.initiateSignal(ms, sameNamespace(ms, a.getNamespace(), bad), a, wftCompletedEventId);
    }

    private void cancelExternal(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getRequestCancelExternalWorkflowExecutionCommandAttributes();
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_ATTRIBUTES;
        if (a.getWorkflowId().isEmpty()) {
            throw new BadCommandException(bad, "WorkflowId is not set on command.");
        }
        ChildStateMachine.initiateCancel(ms, sameNamespace(ms, a.getNamespace(), bad), a, wftCompletedEventId);
    }

    private void upsertSearchAttributes(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getUpsertWorkflowSearchAttributesCommandAttributes();
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES;
        if (!a.hasSearchAttributes()) {
            throw new BadCommandException(bad, "SearchAttributes is not set on UpsertWorkflowSearchAttributesCommand.");
        }
        if (a.getSearchAttributes().getIndexedFieldsCount() == 0) {
            throw new BadCommandException(bad, "IndexedFields is not set on UpsertWorkflowSearchAttributesCommand.");
        }
        checkBlob(a.getSerializedSize(), bad, "UpsertWorkflowSearchAttributesCommandAttributes exceeds size limit.");
        var typed = validSearchAttributes(ms, a.getSearchAttributes(), bad);
        // The run's attributes after the upsert must fit the size limits too.
        var merged = io.temporal.api.common.v1.SearchAttributes.newBuilder().putAllIndexedFields(io.tempora.history.workflow.PayloadMaps.merge(
                io.tempora.history.workflow.StateCodec.searchAttributes(ms.record().getExecution()).getIndexedFieldsMap(),
                typed.getIndexedFieldsMap())).build();
        try {
            searchAttributes.validateSize(merged);
        } catch (SearchAttributeValidator.InvalidSearchAttributesException e) {
            throw BadCommandException.sizeLimitExceeded(bad, e.getMessage());
        }
        ms.addEvent(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, e -> e.setUpsertWorkflowSearchAttributesEventAttributes(
                UpsertWorkflowSearchAttributesEventAttributes.newBuilder()
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                        .setSearchAttributes(typed)));
    }

    private void modifyProperties(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getModifyWorkflowPropertiesCommandAttributes();
        if (!a.hasUpsertedMemo()) {
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_MODIFY_WORKFLOW_PROPERTIES_ATTRIBUTES,
                    "UpsertedMemo is not set on ModifyWorkflowPropertiesCommand.");
        }
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED, e -> e.setWorkflowPropertiesModifiedEventAttributes(
                WorkflowPropertiesModifiedEventAttributes.newBuilder()
                        .setWorkflowTaskCompletedEventId(wftCompletedEventId)
                        .setUpsertedMemo(a.getUpsertedMemo())));
    }

    private ScheduleActivityTaskCommandAttributes validateActivity(MutableState ms, ScheduleActivityTaskCommandAttributes a) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES;
        if (a.getActivityId().isEmpty()) {
            throw new BadCommandException(bad, "ActivityId is not set. ActivityType=" + a.getActivityType().getName());
        }
        if (a.getActivityType().getName().isEmpty()) {
            throw new BadCommandException(bad, "ActivityType is not set. ActivityID=" + a.getActivityId());
        }
        if (limits.idTooLong(a.getActivityId())) {
            throw new BadCommandException(bad, "ActivityID exceeds length limit. ActivityId=" + a.getActivityId());
        }
        if (ms.activityById(a.getActivityId()) != null) {
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_SCHEDULE_ACTIVITY_DUPLICATE_ID,
                    "Activity ID " + a.getActivityId() + " is already in use.");
        }
        if (ms.record().getActivitiesCount() >= limits.maxPendingActivities()) {
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_ACTIVITIES_LIMIT_EXCEEDED,
                    "PendingActivitiesLimitExceeded");
        }
        checkBlob(a.getInput().getSerializedSize(), bad, "ScheduleActivityTaskCommandAttributes.Input exceeds size limit.");
        ScheduleActivityTaskCommandAttributes.Builder b = a.toBuilder();
        String where = " ActivityId=" + a.getActivityId() + " ActivityType=" + a.getActivityType().getName();
        checkTimeout(bad, "ScheduleToCloseTimeout", a.getScheduleToCloseTimeout());
        checkTimeout(bad, "ScheduleToStartTimeout", a.getScheduleToStartTimeout());
        checkTimeout(bad, "StartToCloseTimeout", a.getStartToCloseTimeout());
        checkTimeout(bad, "HeartbeatTimeout", a.getHeartbeatTimeout());
        if (a.getTaskQueue().getName().isEmpty()) {
            b.setTaskQueue(TaskQueue.newBuilder().setName(ms.execution().getTaskQueue()));
        }
        io.tempora.common.TaskQueueNames.problem(b.getTaskQueue().getName(), limits.maxIdLength()).ifPresent(p -> {
            throw new BadCommandException(bad, "invalid TaskQueue: " + p + "." + where);
        });
        long run = ms.execution().getRunTimeoutMs();
        long s2c = Times.toMillis(a.getScheduleToCloseTimeout());
        long s2s = Times.toMillis(a.getScheduleToStartTimeout());
        long st2c = Times.toMillis(a.getStartToCloseTimeout());
        long hb = Times.toMillis(a.getHeartbeatTimeout());
        if (s2c > 0) {
            s2s = s2s > 0 ? Math.min(s2s, s2c) : s2c;
            st2c = st2c > 0 ? Math.min(st2c, s2c) : s2c;
        } else if (st2c > 0) {
            s2c = run;
            if (s2s <= 0) {
                s2s = run;
            }
        } else {
            throw new BadCommandException(bad, "A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand." + where);
        }
        if (run > 0) {
            s2c = s2c > 0 ? Math.min(s2c, run) : run;
            s2s = s2s > 0 ? Math.min(s2s, run) : run;
            st2c = Math.min(st2c, run);
            hb = Math.min(hb, run);
        }
        hb = Math.min(hb, st2c);
        RetryPolicy policy = a.hasRetryPolicy() ? a.getRetryPolicy() : RetryPolicy.getDefaultInstance();
        String policyError = RetryPolicies.validate(policy);
        if (policyError != null) {
            throw new BadCommandException(bad, policyError);
        }
        return b.setScheduleToCloseTimeout(Times.duration(s2c))
                .setScheduleToStartTimeout(Times.duration(s2s))
                .setStartToCloseTimeout(Times.duration(st2c))
                .setHeartbeatTimeout(Times.duration(hb))
                .setRetryPolicy(RetryPolicies.withDefaults(policy))
                .build();
    }

    /** Only the workflow's own namespace is supported as a target; returns its name. */
    private String sameNamespace(MutableState ms, String requested, WorkflowTaskFailedCause cause) {
        String own = namespaceName(ms.key().namespaceId());
        if (!requested.isEmpty() && !requested.equals(own)) {
            throw new BadCommandException(cause, "Cross-namespace commands are not supported: " + requested);
        }
        return own;
    }

    private io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes validateChild(
            MutableState ms, io.temporal.api.command.v1.StartChildWorkflowExecutionCommandAttributes a) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_CHILD_EXECUTION_ATTRIBUTES;
        if (a.getWorkflowId().isEmpty()) {
            throw new BadCommandException(bad, "Required field WorkflowId is not set on command.");
        }
        if (limits.idTooLong(a.getWorkflowId())) {
            throw new BadCommandException(bad, "WorkflowId exceeds length limit.");
        }
        if (a.getWorkflowType().getName().isEmpty()) {
            throw new BadCommandException(bad, "Required field WorkflowType is not set on command.");
        }
        if (!a.getCronSchedule().isEmpty() && CronSchedules.validate(a.getCronSchedule()) != null) {
            throw new BadCommandException(bad, CronSchedules.validate(a.getCronSchedule()));
        }
        if (ms.record().getChildrenCount() >= limits.maxPendingChildren()) {
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_CHILD_WORKFLOWS_LIMIT_EXCEEDED,
                    "PendingChildWorkflowsLimitExceeded");
        }
        checkBlob(a.getInput().getSerializedSize(), bad, "StartChildWorkflowExecutionCommandAttributes.Input exceeds size limit.");
        var b = a.toBuilder();
        if (a.hasSearchAttributes()) {
            b.setSearchAttributes(validSearchAttributes(ms, a.getSearchAttributes(), bad));
        }
        if (a.getTaskQueue().getName().isEmpty()) {
            b.setTaskQueue(TaskQueue.newBuilder().setName(ms.execution().getTaskQueue()));
        }
        io.tempora.common.TaskQueueNames.problem(b.getTaskQueue().getName(), limits.maxIdLength()).ifPresent(p -> {
            throw new BadCommandException(bad, "invalid TaskQueue on StartChildWorkflowExecutionCommand: " + p + ". WorkflowId=" + a.getWorkflowId()
                    + " WorkflowType=" + a.getWorkflowType().getName() + " Namespace=" + a.getNamespace() + " TaskQueue=" + b.getTaskQueue().getName());
        });
        if (Times.toMillis(a.getWorkflowTaskTimeout()) <= 0) {
            b.setWorkflowTaskTimeout(Times.duration(ms.execution().getTaskTimeoutMs()));
        }
        return b.build();
    }

    private StartTimerCommandAttributes validateTimer(MutableState ms, StartTimerCommandAttributes a) {
        WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES;
        if (a.getTimerId().isEmpty()) {
            throw new BadCommandException(bad, "TimerId is not set.");
        }
        Times.invalidReason(a.getStartToFireTimeout()).ifPresent(reason -> {
            throw new BadCommandException(bad, "An invalid StartToFireTimeout is set on StartTimerCommand: " + reason + ". TimerId=" + a.getTimerId());
        });
        if (Times.toMillis(a.getStartToFireTimeout()) <= 0) {
            throw new BadCommandException(bad, "A valid StartToFireTimeout is not set on StartTimerCommand.");
        }
        if (ms.record().containsTimers(a.getTimerId())) {
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_START_TIMER_DUPLICATE_ID,
                    "TimerId " + a.getTimerId() + " is already in use.");
        }
        return a;
    }

    private static void cancelActivity(MutableState ms, long scheduledEventId, long wftCompletedEventId, String identity) {
        ActivityInfo ai = ms.activity(scheduledEventId);
        if (ai == null) {
            if (ms.bufferedActivityFinish(scheduledEventId)) {
                // Its result is waiting for this very task: record the request, the result follows.
                ActivityStateMachine.cancelRequested(ms, scheduledEventId, wftCompletedEventId);
                return;
            }
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
                    "Unable to find activity with scheduled event id " + scheduledEventId + ".");
        }
        ActivityStateMachine.cancelRequested(ms, scheduledEventId, wftCompletedEventId);
        if (ai.getStartedTimeMs() == 0) {
            // Not started: nothing to tell a worker, it is canceled right away.
            ActivityStateMachine.canceled(ms, ms.activity(scheduledEventId), null, identity, false);
        }
    }

    private static void cancelTimer(MutableState ms, String timerId, long wftCompletedEventId, String identity) {
        TimerInfo timer = ms.record().getTimersOrDefault(timerId, null);
        if (timer == null) {
            if (ms.bufferedTimerFired(timerId)) {
                return;
            }
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES,
                    "Timer " + timerId + " is not pending.");
        }
        TimerStateMachine.cancel(ms, timer, wftCompletedEventId, identity);
    }

    private void recordMarker(MutableState ms, Command command, long wftCompletedEventId) {
        var a = command.getRecordMarkerCommandAttributes();
        if (a.getMarkerName().isEmpty()) {
            throw new BadCommandException(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES, "MarkerName is not set on command.");
        }
        checkBlob(a.getSerializedSize(), WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_RECORD_MARKER_ATTRIBUTES,
                "RecordMarkerCommandAttributes exceeds size limit.");
        ms.addEvent(EventType.EVENT_TYPE_MARKER_RECORDED, e -> {
            MarkerRecordedEventAttributes.Builder m = MarkerRecordedEventAttributes.newBuilder()
                    .setMarkerName(a.getMarkerName())
                    .putAllDetails(a.getDetailsMap())
                    .setWorkflowTaskCompletedEventId(wftCompletedEventId);
            if (a.hasHeader()) {
                m.setHeader(a.getHeader());
            }
            if (a.hasFailure()) {
                m.setFailure(a.getFailure());
            }
            e.setMarkerRecordedEventAttributes(m);
        });
    }

    private static void checkTimeout(WorkflowTaskFailedCause cause, String name, com.google.protobuf.Duration d) {
        Times.invalidReason(d).ifPresent(reason -> {
            throw new BadCommandException(cause, "invalid " + name + ": " + reason);
        });
    }

    private void checkBlob(int size, WorkflowTaskFailedCause cause, String message) {
        if (size > limits.blobSizeLimitError()) {
            throw BadCommandException.sizeLimitExceeded(cause, message);
        }
    }
}
