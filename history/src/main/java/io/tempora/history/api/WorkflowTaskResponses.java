package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.tempora.common.Times;
import io.tempora.common.proto.StickyInfo;
import io.tempora.common.proto.TaskToken;
import io.tempora.history.command.BadCommandException;
import io.tempora.history.command.CommandHandlers;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.ServerIdentity;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.WorkflowTaskStateMachine;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.command.v1.Command;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.failure.v1.ServerFailureInfo;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.protocol.v1.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RespondWorkflowTaskCompleted and RespondWorkflowTaskFailed. */
public final class WorkflowTaskResponses {
    private final Workflows workflows;
    private final CommandHandlers commands;
    private final RecordWorkflowTaskStarted starter;
    private final UpdateWorkflow updates;
    private final RecordActivityTaskStarted activityStarter;
    private final java.util.function.Function<String, String> namespaceNames;
    /** Eager activities handed back per workflow task, as the official server limits them. */
    private static final int MAX_EAGER_ACTIVITIES = 3;
    private final boolean eagerActivities;

    public WorkflowTaskResponses(Workflows workflows, CommandHandlers commands, RecordWorkflowTaskStarted starter, UpdateWorkflow updates,
                                 RecordActivityTaskStarted activityStarter, java.util.function.Function<String, String> namespaceNames,
                                 boolean eagerActivities) {
        this.eagerActivities = eagerActivities;
        this.workflows = workflows;
        this.commands = commands;
        this.starter = starter;
        this.updates = updates;
        this.activityStarter = activityStarter;
        this.namespaceNames = namespaceNames;
    }

    private sealed interface Outcome permits Completed, Rejected {}

    /**
     * {@code resetHistoryEventId}: when a speculative task was discarded, the last event the worker may keep
     * (the last completed task's started event), so it drops what it built on the discarded task.
     */
    private record Completed(RecordWorkflowTaskStarted.Started inlineTask, List<io.tempora.common.proto.ActivityInfo> eager,
                             io.tempora.common.proto.ExecutionInfo execution, long resetHistoryEventId) implements Outcome {}

    /** The task was failed instead (bad command, unhandled events): reported to the worker as INVALID_ARGUMENT. */
    private record Rejected(String message) implements Outcome {}

    public RespondWorkflowTaskCompletedResponse complete(TaskToken token, RespondWorkflowTaskCompletedRequest request) {
        CommandHandlers.validateSequence(request.getCommandsList());
        ProtocolMessages.validate(request.getMessagesList());
        WorkflowKey key = new WorkflowKey(token.getNamespaceId(), token.getWorkflowId(), token.getRunId());
        Outcome outcome;
        List<Runnable> afterCommit = new ArrayList<>();
        try {
            outcome = workflows.update(key, ms -> {
                afterCommit.clear();
                checkToken(ms, token);
                boolean closes = request.getCommandsList().stream().anyMatch(c -> CommandHandlers.isClose(c.getCommandType()));
                if (closes && ms.hasBufferedEvents()) {
                    // New events arrived while the worker decided to close: it must see them first.
                    WorkflowTaskStateMachine.fail(ms, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
                            serverFailure("UnhandledCommand"), request.getIdentity(), false);
                    return new Rejected("UnhandledCommand");
                }
                return applyCompletion(ms, request, afterCommit);
            });
        } catch (BadCommandException e) {
            String message = causeName(e.failedCause()) + ": " + e.getMessage();
            workflows.update(key, ms -> {
                checkToken(ms, token);
                if (e.terminatesRun()) {
                    // Any attempt would send the same oversized command again: the run ends here.
                    WorkflowTaskStateMachine.recordFailure(ms, e.failedCause(), serverFailure(message), request.getIdentity());
                    io.tempora.history.workflow.ExecutionStateMachine.terminate(ms, message, null, ServerIdentity.HISTORY_SERVICE);
                } else if (ms.workflowTask().getAttempt() <= 1) {
                    WorkflowTaskStateMachine.fail(ms, e.failedCause(), serverFailure(message), request.getIdentity(), true);
                } // a repeating failure is not recorded again; the task times out and is retried
                return null;
            });
            throw ServiceErrors.invalidArgument(message);
        }
        afterCommit.forEach(Runnable::run);
        if (outcome instanceof Rejected r) {
            throw ServiceErrors.invalidArgument(r.message());
        }
        RespondWorkflowTaskCompletedResponse.Builder response = RespondWorkflowTaskCompletedResponse.newBuilder();
        Completed completed = (Completed) outcome;
        response.setResetHistoryEventId(completed.resetHistoryEventId());
        if (completed.inlineTask() != null) {
            response.setWorkflowTask(starter.buildResponse(key, completed.inlineTask(), true));
        }
        for (io.tempora.common.proto.ActivityInfo ai : completed.eager()) {
            response.addActivityTasks(activityStarter.response(namespaceNames.apply(key.namespaceId()), key, ai, completed.execution()));
        }
        return response.build();
    }

    private Completed applyCompletion(MutableState ms, RespondWorkflowTaskCompletedRequest request, List<Runnable> afterCommit) {
        Map<String, Message> messages = new LinkedHashMap<>();
        request.getMessagesList().forEach(m -> messages.put(m.getId(), m));
        boolean onlyRejections = messages.values().stream().allMatch(m -> m.getBody().is(io.temporal.api.update.v1.Rejection.class));
        if (ms.isWorkflowTaskSpeculative() && request.getCommandsCount() == 0 && onlyRejections && !ms.hasBufferedEvents()
                && !request.getForceCreateNewWorkflowTask()) {
            // A speculative task that only rejected updates leaves no trace in history.
            for (Message m : messages.values()) {
                updates.onMessage(ms, m, 0, afterCommit);
            }
            WorkflowTaskStateMachine.discardSpeculative(ms);
            stickyFrom(ms, request);
            scheduleForPendingUpdates(ms, messages.values());
            return new Completed(null, List.of(), null, ms.execution().getLastCompletedWftStartedEventId());
        }
        HistoryEvent completed = WorkflowTaskStateMachine.complete(ms, reportedByWorker(request));
        stickyFrom(ms, request);
        List<io.tempora.common.proto.ActivityInfo> eager = new ArrayList<>();
        for (Command command : request.getCommandsList()) {
            if (!ms.isRunning()) {
                break;
            }
            if (eagerActivities && isEagerCandidate(ms, command) && eager.size() < MAX_EAGER_ACTIVITIES) {
                long scheduledId = commands.scheduleEagerActivity(ms, command, completed.getEventId());
                eager.add(io.tempora.history.workflow.ActivityStateMachine.start(ms, ms.activity(scheduledId),
                        java.util.UUID.randomUUID().toString(), request.getIdentity()));
                continue;
            }
            if (command.getCommandType() == io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE) {
                WorkflowTaskFailedCause bad = WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE;
                if (!command.hasProtocolMessageCommandAttributes()) {
                    throw new io.tempora.history.command.BadCommandException(bad,
                            "ProtocolMessageCommandAttributes is not set on ProtocolMessageCommand.");
                }
                String messageId = command.getProtocolMessageCommandAttributes().getMessageId();
                if (messageId.isEmpty()) {
                    throw new io.tempora.history.command.BadCommandException(bad, "MessageID is not set on ProtocolMessageCommand.");
                }
                Message m = messages.remove(messageId);
                if (m == null) {
                    throw new io.tempora.history.command.BadCommandException(bad, "ProtocolMessageCommand referenced absent message ID " + messageId);
                }
                updates.onMessage(ms, m, completed.getEventId(), afterCommit);
                continue;
            }
            commands.handle(ms, command, completed.getEventId(), request.getIdentity());
        }
        for (Message m : messages.values()) {
            if (ms.isRunning()) {
                updates.onMessage(ms, m, completed.getEventId(), afterCommit);
            }
        }
        boolean hadBuffered = ms.hasBufferedEvents();
        ms.flushBufferedEvents();
        RecordWorkflowTaskStarted.Started inline = null;
        if (ms.isRunning() && (hadBuffered || request.getForceCreateNewWorkflowTask())) {
            WorkflowTaskStateMachine.schedule(ms, 1);
            if (request.getReturnNewWorkflowTask()) {
                inline = starter.startInline(ms, request.getIdentity());
            }
        }
        if (ms.isRunning()) {
            scheduleForPendingUpdates(ms, request.getMessagesList());
        }
        return new Completed(inline, eager, ms.record().getExecution(), 0);
    }

    /** The worker's account of itself, written to WorkflowTaskCompleted as the official server does. */
    private static io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes.Builder reportedByWorker(
            RespondWorkflowTaskCompletedRequest request) {
        var b = io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes.newBuilder()
                .setIdentity(request.getIdentity())
                .setBinaryChecksum(request.getBinaryChecksum());
        if (request.hasSdkMetadata()) {
            b.setSdkMetadata(request.getSdkMetadata());
        }
        if (request.hasMeteringMetadata()) {
            b.setMeteringMetadata(request.getMeteringMetadata());
        }
        if (request.hasWorkerVersionStamp()) {
            b.setWorkerVersion(request.getWorkerVersionStamp());
        }
        return b;
    }

    /** An activity the worker asked to run itself (request_eager_execution) on the workflow's own task queue. */
    private static boolean isEagerCandidate(MutableState ms, Command command) {
        if (command.getCommandType() != io.temporal.api.enums.v1.CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK) {
            return false;
        }
        var a = command.getScheduleActivityTaskCommandAttributes();
        String queue = a.getTaskQueue().getName();
        return a.getRequestEagerExecution() && (queue.isEmpty() || queue.equals(ms.execution().getTaskQueue()));
    }

    private static void stickyFrom(MutableState ms, RespondWorkflowTaskCompletedRequest request) {
        if (request.hasStickyAttributes() && !request.getStickyAttributes().getWorkerTaskQueue().getName().isEmpty()) {
            WorkflowTaskStateMachine.stickTo(ms, request.getStickyAttributes().getWorkerTaskQueue().getName(),
                    Times.toMillis(request.getStickyAttributes().getScheduleToStartTimeout()));
        } else {
            WorkflowTaskStateMachine.clearSticky(ms);
        }
    }

    /** Updates admitted while this task ran (not answered by it) need another task to reach the worker. */
    private void scheduleForPendingUpdates(MutableState ms, java.util.Collection<Message> answered) {
        java.util.Set<String> answeredIds = new java.util.HashSet<>();
        answered.forEach(m -> answeredIds.add(m.getProtocolInstanceId()));
        if (updates.hasPendingUpdatesOtherThan(ms.key(), answeredIds)) {
            WorkflowTaskStateMachine.scheduleSpeculativeIfNone(ms);
        }
    }

    public void fail(TaskToken token, RespondWorkflowTaskFailedRequest request) {
        WorkflowKey key = new WorkflowKey(token.getNamespaceId(), token.getWorkflowId(), token.getRunId());
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                throw ServiceErrors.workflowCompleted();
            }
            checkToken(ms, token);
            if (request.getCause() == WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_GRPC_MESSAGE_TOO_LARGE) {
                // The worker could not send its completion at all, and a retry would send the same: the run ends here.
                io.tempora.history.workflow.ExecutionStateMachine.terminate(ms, causeName(request.getCause()), null, ServerIdentity.HISTORY_SERVICE);
                return null;
            }
            WorkflowTaskStateMachine.fail(ms, request.getCauseValue(), request.hasFailure() ? request.getFailure() : null,
                    request.getIdentity(), true);
            return null;
        });
    }

    static void checkToken(MutableState ms, TaskToken token) {
        if (!ms.isRunning() || !ms.isWorkflowTaskStarted()
                || ms.workflowTask().getScheduledEventId() != token.getScheduledEventId()
                || ms.workflowTask().getStartedEventId() != token.getStartedEventId()
                || ms.workflowTask().getAttempt() != token.getAttempt()) {
            throw ServiceErrors.notFound("Workflow task not found.");
        }
    }

    private static Failure serverFailure(String message) {
        return Failure.newBuilder().setMessage(message).setSource("Server")
                .setServerFailureInfo(ServerFailureInfo.newBuilder().setNonRetryable(false)).build();
    }

    /** "WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES" -> "BadScheduleActivityAttributes". */
    static String causeName(WorkflowTaskFailedCause cause) {
        StringBuilder sb = new StringBuilder();
        for (String part : cause.name().replace("WORKFLOW_TASK_FAILED_CAUSE_", "").split("_")) {
            sb.append(part.charAt(0)).append(part.substring(1).toLowerCase());
        }
        return sb.toString();
    }
}
