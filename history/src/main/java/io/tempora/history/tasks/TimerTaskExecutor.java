package io.tempora.history.tasks;

import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.TimerInfo;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.WorkflowTaskInfo;
import io.tempora.history.queues.TaskExecutor;
import io.tempora.history.workflow.ActivityStateMachine;
import io.tempora.history.workflow.ExecutionStateMachine;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.RunDeleter;
import io.tempora.history.workflow.TimerStateMachine;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.WorkflowTaskStateMachine;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.enums.v1.TimeoutType;

/**
 * Executes due timer tasks: user timers, activity and workflow task timeouts, activity retry backoffs and the
 * workflow run timeout, and the deletion of a closed run after its namespace's retention. Each first checks the task still applies (the same attempt is still pending), so
 * stale or duplicate timers are dropped.
 */
public final class TimerTaskExecutor implements TaskExecutor<TimerTask> {
    private final Workflows workflows;
    private final TransferTaskExecutor dispatcher;
    private final RunDeleter deleter;

    public TimerTaskExecutor(Workflows workflows, TransferTaskExecutor dispatcher, RunDeleter deleter) {
        this.workflows = workflows;
        this.dispatcher = dispatcher;
        this.deleter = deleter;
    }

    @Override
    public void execute(TimerTask task) throws Exception {
        WorkflowKey key = new WorkflowKey(task.getNamespaceId(), task.getWorkflowId(), task.getRunId());
        if (workflows.find(key).isEmpty()) {
            return;
        }
        if (task.getType() == io.tempora.common.proto.TimerTaskType.TIMER_TASK_TYPE_DELETE_HISTORY) {
            deleter.deleteClosed(key);
            return;
        }
        if (task.getType() == io.tempora.common.proto.TimerTaskType.TIMER_TASK_TYPE_ACTIVITY_RETRY) {
            retryActivity(key, task);
            return;
        }
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                return null;
            }
            switch (task.getType()) {
                case TIMER_TASK_TYPE_USER_TIMER -> userTimer(ms, task);
                case TIMER_TASK_TYPE_ACTIVITY_TIMEOUT -> activityTimeout(ms, task);
                case TIMER_TASK_TYPE_WORKFLOW_TASK_TIMEOUT -> workflowTaskTimeout(ms, task);
                case TIMER_TASK_TYPE_WORKFLOW_RUN_TIMEOUT -> ExecutionStateMachine.timeOut(ms);
                case TIMER_TASK_TYPE_WORKFLOW_BACKOFF -> {
                    if (ms.execution().getLastCompletedWftCompletedEventId() == 0) {
                        WorkflowTaskStateMachine.scheduleIfNoneIgnoringBackoff(ms);
                    }
                }
                default -> throw new IllegalStateException("unknown timer task type " + task.getType());
            }
            return null;
        });
    }

    private static void userTimer(MutableState ms, TimerTask task) {
        TimerInfo timer = ms.record().getTimersOrDefault(task.getTimerId(), null);
        if (timer != null && timer.getStartedEventId() == task.getEventId()) {
            TimerStateMachine.fire(ms, timer);
        }
    }

    private static void activityTimeout(MutableState ms, TimerTask task) {
        ActivityInfo ai = ms.activity(task.getEventId());
        if (ai == null) {
            return;
        }
        TimeoutType type = TimeoutType.forNumber(task.getTimeoutType());
        switch (type) {
            case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> ActivityStateMachine.timeOut(ms, ai, type);
            case TIMEOUT_TYPE_SCHEDULE_TO_START -> {
                if (ai.getAttempt() == task.getAttempt() && ai.getStartedTimeMs() == 0) {
                    ActivityStateMachine.timeOut(ms, ai, type);
                }
            }
            case TIMEOUT_TYPE_START_TO_CLOSE -> {
                if (ai.getAttempt() == task.getAttempt() && ai.getStartedTimeMs() > 0 && ai.getStartedTimeMs() == task.getStamp()) {
                    ActivityStateMachine.timeOut(ms, ai, type);
                }
            }
            case TIMEOUT_TYPE_HEARTBEAT -> {
                if (ai.getAttempt() == task.getAttempt() && ai.getStartedTimeMs() > 0 && ai.getStartedTimeMs() == task.getStamp()) {
                    long deadline = ActivityStateMachine.heartbeatDeadline(ai);
                    if (deadline > ms.now()) {
                        ActivityStateMachine.rearmHeartbeatTimer(ms, ai, deadline);
                    } else {
                        ActivityStateMachine.timeOut(ms, ai, type);
                    }
                }
            }
            default -> {
                // unknown timeout type: ignore
            }
        }
    }

    private static void workflowTaskTimeout(MutableState ms, TimerTask task) {
        if (!ms.hasPendingWorkflowTask()) {
            return;
        }
        WorkflowTaskInfo wt = ms.workflowTask();
        if (wt.getScheduledEventId() != task.getEventId() || wt.getAttempt() != task.getAttempt()) {
            return;
        }
        TimeoutType type = TimeoutType.forNumber(task.getTimeoutType());
        // The stamp tells this task from an earlier one with the same ids (a discarded speculative task).
        if (type == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START && wt.getStartedEventId() == 0 && wt.getScheduledTimeMs() == task.getStamp()) {
            WorkflowTaskStateMachine.timeOut(ms, type);
        } else if (type == TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE && wt.getStartedEventId() > 0 && wt.getStartedTimeMs() == task.getStamp()) {
            WorkflowTaskStateMachine.timeOut(ms, type);
        }
    }

    /** The retry backoff is over: dispatch the attempt if it is still the pending one. */
    private void retryActivity(WorkflowKey key, TimerTask task) throws Exception {
        ActivityInfo ai = workflows.get(key).getActivitiesOrDefault(task.getEventId(), null);
        if (ai == null || ai.getAttempt() != task.getAttempt() || ai.getStartedTimeMs() > 0) {
            return;
        }
        dispatcher.execute(ActivityStateMachine.dispatchTask(ai)
                .setNamespaceId(key.namespaceId()).setWorkflowId(key.workflowId()).setRunId(key.runId()).build());
    }
}
