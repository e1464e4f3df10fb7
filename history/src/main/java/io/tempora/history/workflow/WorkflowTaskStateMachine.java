package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.tempora.common.proto.StickyInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TimerTaskType;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.TransferTaskType;
import io.tempora.common.proto.WorkflowTaskInfo;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskFailedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskTimedOutEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * The workflow task lifecycle: schedule, start, complete, fail, time out. The first attempt is written to
 * history as it happens; later attempts are transient (their scheduled/started events are written only if
 * the attempt completes), which keeps a failing workflow task from growing history.
 */
public final class WorkflowTaskStateMachine {
    private WorkflowTaskStateMachine() {}

    /**
     * Schedules a workflow task unless one is pending, or the run still waits for its first one (a start delay,
     * retry or cron backoff): then what happened waits for that first task, as on the official server.
     */
    public static void scheduleIfNone(MutableState ms) {
        if (!pendingOnFirstTaskBackoff(ms)) {
            scheduleIfNoneIgnoringBackoff(ms);
        }
    }

    /** Schedules a workflow task unless one is pending, even before a first-task backoff is over. */
    public static void scheduleIfNoneIgnoringBackoff(MutableState ms) {
        if (!ms.hasPendingWorkflowTask() && ms.isRunning()) {
            schedule(ms, 1);
        }
    }

    /** The run waits for its first workflow task (start delay, retry or cron backoff) and has had none yet. */
    public static boolean pendingOnFirstTaskBackoff(MutableState ms) {
        return ms.execution().getFirstWorkflowTaskBackoffMs() > 0 && !ms.hasPendingWorkflowTask()
                && ms.execution().getLastCompletedWftCompletedEventId() == 0;
    }

    public static void schedule(MutableState ms, int attempt) {
        schedule(ms, attempt, false);
    }

    /** Schedules a speculative task for an update unless a workflow task is pending already (or the first is due later). */
    public static void scheduleSpeculativeIfNone(MutableState ms) {
        if (!ms.hasPendingWorkflowTask() && ms.isRunning() && !pendingOnFirstTaskBackoff(ms)) {
            schedule(ms, 1, true);
        }
    }

    private static void schedule(MutableState ms, int attempt, boolean speculative) {
        TaskQueue queue = taskQueueFor(ms);
        long startToClose = ms.execution().getTaskTimeoutMs();
        if (attempt <= 1 && !speculative) {
            ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, e -> e.setWorkflowTaskScheduledEventAttributes(
                    WorkflowTaskScheduledEventAttributes.newBuilder()
                            .setTaskQueue(queue)
                            .setStartToCloseTimeout(Times.duration(startToClose))
                            .setAttempt(1)));
        } else {
            ms.mutableRecord().setWorkflowTask(WorkflowTaskInfo.newBuilder()
                    .setScheduledEventId(ms.nextEventId())
                    .setAttempt(attempt)
                    .setTaskQueue(queue.getName())
                    .setTaskQueueKind(queue.getKindValue())
                    .setStartToCloseMs(startToClose)
                    .setScheduledTimeMs(ms.now())
                    .setSpeculative(speculative));
            ms.markChanged();
        }
        WorkflowTaskInfo wt = ms.workflowTask();
        ms.addTransferTask(TransferTask.newBuilder()
                .setType(TransferTaskType.TRANSFER_TASK_TYPE_WORKFLOW_TASK)
                .setScheduledEventId(wt.getScheduledEventId())
                .setAttempt(wt.getAttempt())
                .setTaskQueue(wt.getTaskQueue())
                .setTaskQueueKind(wt.getTaskQueueKind()));
        if (queue.getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY) {
            long timeout = ms.record().getSticky().getScheduleToStartTimeoutMs();
            ms.addTimerTask(TimerTask.newBuilder()
                    .setType(TimerTaskType.TIMER_TASK_TYPE_WORKFLOW_TASK_TIMEOUT)
                    .setFireTimeMs(ms.now() + timeout)
                    .setEventId(wt.getScheduledEventId())
                    .setAttempt(wt.getAttempt())
                    .setStamp(wt.getScheduledTimeMs())
                    .setTimeoutType(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START_VALUE));
        }
    }

    private static TaskQueue taskQueueFor(MutableState ms) {
        StickyInfo sticky = ms.record().getSticky();
        if (!sticky.getTaskQueue().isEmpty()) {
            return TaskQueue.newBuilder().setName(sticky.getTaskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY)
                    .setNormalName(ms.execution().getTaskQueue()).build();
        }
        return TaskQueue.newBuilder().setName(ms.execution().getTaskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
    }

    /** Marks the pending task started; returns the synthetic events of a transient attempt (empty otherwise). */
    public static List<HistoryEvent> start(MutableState ms, String requestId, String identity, boolean suggestContinueAsNew) {
        WorkflowTaskInfo wt = ms.workflowTask();
        List<HistoryEvent> transientEvents = new ArrayList<>();
        long historySize = ms.execution().getHistorySizeBytes();
        if (wt.getAttempt() <= 1 && !wt.getSpeculative()) {
            ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, e -> e.setWorkflowTaskStartedEventAttributes(
                    WorkflowTaskStartedEventAttributes.newBuilder()
                            .setScheduledEventId(wt.getScheduledEventId())
                            .setIdentity(identity)
                            .setRequestId(requestId)
                            .setHistorySizeBytes(historySize)
                            .setSuggestContinueAsNew(suggestContinueAsNew)));
        } else {
            ms.mutableRecord().setWorkflowTask(wt.toBuilder()
                    .setStartedEventId(wt.getScheduledEventId() + 1)
                    .setStartedTimeMs(ms.now())
                    .setRequestId(requestId)
                    .setIdentity(identity)
                    .setHistorySizeBytes(historySize)
                    .setSuggestContinueAsNew(suggestContinueAsNew));
            ms.markChanged();
            transientEvents.addAll(transientEvents(ms));
        }
        WorkflowTaskInfo started = ms.workflowTask();
        ms.addTimerTask(TimerTask.newBuilder()
                .setType(TimerTaskType.TIMER_TASK_TYPE_WORKFLOW_TASK_TIMEOUT)
                .setFireTimeMs(ms.now() + started.getStartToCloseMs())
                .setEventId(started.getScheduledEventId())
                .setAttempt(started.getAttempt())
                .setStamp(started.getStartedTimeMs())
                .setTimeoutType(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE_VALUE));
        return transientEvents;
    }

    /** The scheduled and started events of a started transient attempt, as the worker must see them. */
    public static List<HistoryEvent> transientEvents(MutableState ms) {
        WorkflowTaskInfo wt = ms.workflowTask();
        return List.of(scheduledEvent(ms, wt), startedEvent(wt));
    }

    private static HistoryEvent scheduledEvent(MutableState ms, WorkflowTaskInfo wt) {
        return HistoryEvent.newBuilder()
                .setEventId(wt.getScheduledEventId())
                .setEventTime(Times.timestamp(wt.getScheduledTimeMs()))
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)
                .setWorkflowTaskScheduledEventAttributes(WorkflowTaskScheduledEventAttributes.newBuilder()
                        .setTaskQueue(TaskQueue.newBuilder().setName(wt.getTaskQueue()).setKindValue(wt.getTaskQueueKind())
                                .setNormalName(wt.getTaskQueueKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY_VALUE
                                        ? ms.execution().getTaskQueue() : ""))
                        .setStartToCloseTimeout(Times.duration(wt.getStartToCloseMs()))
                        .setAttempt(wt.getAttempt()))
                .build();
    }

    private static HistoryEvent startedEvent(WorkflowTaskInfo wt) {
        return HistoryEvent.newBuilder()
                .setEventId(wt.getStartedEventId())
                .setEventTime(Times.timestamp(wt.getStartedTimeMs()))
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)
                .setWorkflowTaskStartedEventAttributes(WorkflowTaskStartedEventAttributes.newBuilder()
                        .setScheduledEventId(wt.getScheduledEventId())
                        .setIdentity(wt.getIdentity())
                        .setRequestId(wt.getRequestId())
                        .setHistorySizeBytes(wt.getHistorySizeBytes())
                        .setSuggestContinueAsNew(wt.getSuggestContinueAsNew()))
                .build();
    }

    /** A transient attempt that completes has its scheduled and started events written first. */
    private static void materializeTransient(MutableState ms) {
        if (!ms.isWorkflowTaskTransient()) {
            return;
        }
        WorkflowTaskInfo wt = ms.workflowTask();
        HistoryEvent scheduled = scheduledEvent(ms, wt);
        HistoryEvent started = startedEvent(wt);
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, e -> e.mergeFrom(scheduled).setEventId(wt.getScheduledEventId()));
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED, e -> e.mergeFrom(started).setEventId(wt.getStartedEventId()));
    }

    /** A speculative task that changed nothing is dropped: no trace in history. */
    public static void discardSpeculative(MutableState ms) {
        ms.mutableRecord().clearWorkflowTask();
        ms.markChanged();
    }

    /**
     * Completes the started task. {@code reported} carries what the worker reported about itself (identity,
     * SDK metadata with its used flags, versioning); the SDK reads it back when it replays this history.
     */
    public static HistoryEvent complete(MutableState ms, WorkflowTaskCompletedEventAttributes.Builder reported) {
        materializeTransient(ms);
        WorkflowTaskInfo wt = ms.workflowTask();
        return ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, e -> e.setWorkflowTaskCompletedEventAttributes(
                reported.setScheduledEventId(wt.getScheduledEventId()).setStartedEventId(wt.getStartedEventId())));
    }

    /**
     * Fails the started task. The first attempt's failure is recorded; later attempts fail silently. The next
     * attempt goes to the normal queue (a sticky worker that failed may have lost its cache).
     */
    public static void fail(MutableState ms, WorkflowTaskFailedCause cause, Failure failure, String identity, boolean incrementAttempt) {
        fail(ms, cause.getNumber(), failure, identity, incrementAttempt);
    }

    /**
     * As above, with the cause as a number: a worker may report a cause this server's API version does not know, and
     * the official server records it as sent.
     */
    public static void fail(MutableState ms, int cause, Failure failure, String identity, boolean incrementAttempt) {
        WorkflowTaskInfo wt = ms.workflowTask();
        int nextAttempt = incrementAttempt ? wt.getAttempt() + 1 : Math.max(wt.getAttempt(), wt.getSpeculative() ? 2 : 1);
        if (wt.getAttempt() <= 1 && !wt.getSpeculative()) {
            addFailedEvent(ms, wt, cause, failure, identity);
        } else {
            ms.mutableRecord().clearWorkflowTask();
            ms.markChanged();
        }
        clearSticky(ms);
        scheduleAfterFailure(ms, nextAttempt);
    }

    private static void addFailedEvent(MutableState ms, WorkflowTaskInfo wt, int cause, Failure failure, String identity) {
        ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, e -> {
            WorkflowTaskFailedEventAttributes.Builder a = WorkflowTaskFailedEventAttributes.newBuilder()
                    .setScheduledEventId(wt.getScheduledEventId())
                    .setStartedEventId(wt.getStartedEventId())
                    .setCauseValue(cause)
                    .setIdentity(identity);
            if (failure != null) {
                a.setFailure(failure);
            }
            e.setWorkflowTaskFailedEventAttributes(a);
        });
    }

    /**
     * Records the started task's failure without scheduling another: the run closes right after. A later attempt
     * leaves no trace; a speculative task is written to history first.
     */
    public static void recordFailure(MutableState ms, WorkflowTaskFailedCause cause, Failure failure, String identity) {
        WorkflowTaskInfo wt = ms.workflowTask();
        if (wt.getAttempt() > 1) {
            ms.mutableRecord().clearWorkflowTask();
            ms.markChanged();
            return;
        }
        materializeTransient(ms);
        addFailedEvent(ms, ms.workflowTask(), cause.getNumber(), failure, identity);
    }

    /** The run closes from outside (terminate, timeout) while a task is started: the task fails with FORCE_CLOSE_COMMAND. */
    public static void failStartedOnClose(MutableState ms) {
        if (ms.isWorkflowTaskStarted()) {
            recordFailure(ms, WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND, null, ServerIdentity.HISTORY_SERVICE);
        }
    }

    public static void timeOut(MutableState ms, TimeoutType timeoutType) {
        WorkflowTaskInfo wt = ms.workflowTask();
        boolean scheduleToStart = timeoutType == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
        // A sticky schedule-to-start timeout does not count as a failed attempt.
        int nextAttempt = scheduleToStart && !wt.getSpeculative() ? wt.getAttempt() : wt.getAttempt() + 1;
        if (wt.getAttempt() <= 1 && !wt.getSpeculative()) {
            ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, e -> e.setWorkflowTaskTimedOutEventAttributes(
                    WorkflowTaskTimedOutEventAttributes.newBuilder()
                            .setScheduledEventId(wt.getScheduledEventId())
                            .setStartedEventId(wt.getStartedEventId())
                            .setTimeoutType(timeoutType)));
        } else {
            ms.mutableRecord().clearWorkflowTask();
            ms.markChanged();
        }
        clearSticky(ms);
        scheduleAfterFailure(ms, nextAttempt);
    }

    private static void scheduleAfterFailure(MutableState ms, int nextAttempt) {
        if (!ms.isRunning()) {
            return;
        }
        // Buffered events make the next task a normal one: they are written now and the worker must see them.
        if (ms.hasBufferedEvents()) {
            ms.flushBufferedEvents();
            schedule(ms, 1);
        } else {
            schedule(ms, nextAttempt);
        }
    }

    /** The worker asked for its sticky queue: the next workflow tasks go there first. */
    public static void stickTo(MutableState ms, String stickyQueue, long scheduleToStartTimeoutMs) {
        ms.mutableRecord().setSticky(io.tempora.common.proto.StickyInfo.newBuilder()
                .setTaskQueue(stickyQueue).setScheduleToStartTimeoutMs(scheduleToStartTimeoutMs));
        ms.markChanged();
    }

    public static void clearSticky(MutableState ms) {
        if (ms.record().hasSticky()) {
            ms.mutableRecord().clearSticky();
            ms.markChanged();
        }
    }
}
