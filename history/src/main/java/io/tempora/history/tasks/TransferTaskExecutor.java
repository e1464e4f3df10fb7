package io.tempora.history.tasks;

import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.WorkflowTaskInfo;
import io.tempora.common.rpc.AddTaskRequest;
import io.tempora.common.rpc.MatchingService;
import io.tempora.history.queues.TaskExecutor;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.Optional;

/** Executes transfer tasks: hands workflow and activity tasks that are still pending to matching. */
public final class TransferTaskExecutor implements TaskExecutor<TransferTask> {
    private final Workflows workflows;
    private final MatchingService matching;
    private final CrossWorkflowTaskExecutor crossWorkflow;

    public TransferTaskExecutor(Workflows workflows, MatchingService matching, CrossWorkflowTaskExecutor crossWorkflow) {
        this.workflows = workflows;
        this.matching = matching;
        this.crossWorkflow = crossWorkflow;
    }

    @Override
    public void execute(TransferTask task) throws Exception {
        WorkflowKey key = new WorkflowKey(task.getNamespaceId(), task.getWorkflowId(), task.getRunId());
        Optional<MutableStateRecord> found = workflows.find(key);
        if (found.isEmpty()) {
            return; // the run is gone
        }
        MutableStateRecord state = found.get();
        if (task.getType() != io.tempora.common.proto.TransferTaskType.TRANSFER_TASK_TYPE_WORKFLOW_TASK
                && task.getType() != io.tempora.common.proto.TransferTaskType.TRANSFER_TASK_TYPE_ACTIVITY_TASK) {
            crossWorkflow.execute(task, state);
            return;
        }
        if (state.getExecution().getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE) {
            return; // closed: nothing to dispatch
        }
        switch (task.getType()) {
            case TRANSFER_TASK_TYPE_WORKFLOW_TASK -> dispatchWorkflowTask(task, state);
            case TRANSFER_TASK_TYPE_ACTIVITY_TASK -> dispatchActivityTask(task, state);
            default -> throw new IllegalStateException("unknown transfer task type " + task.getType());
        }
    }

    private void dispatchWorkflowTask(TransferTask task, MutableStateRecord state) throws Exception {
        WorkflowTaskInfo wt = state.getWorkflowTask();
        if (!state.hasWorkflowTask() || wt.getScheduledEventId() != task.getScheduledEventId()
                || wt.getAttempt() != task.getAttempt() || wt.getStartedEventId() > 0) {
            return; // stale: already started, completed or replaced
        }
        MatchingTask mt = matchingTask(task, 0);
        boolean sticky = task.getTaskQueueKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY_VALUE;
        try {
            matching.addTask(new AddTaskRequest(task.getNamespaceId(), task.getTaskQueue(), false, sticky, mt));
        } catch (MatchingService.StickyWorkerUnavailableException e) {
            // No worker polls the sticky queue: use the workflow's normal queue right away.
            matching.addTask(new AddTaskRequest(task.getNamespaceId(), state.getExecution().getTaskQueue(), false, false, mt));
        }
    }

    private void dispatchActivityTask(TransferTask task, MutableStateRecord state) throws Exception {
        ActivityInfo ai = state.getActivitiesOrDefault(task.getScheduledEventId(), null);
        if (ai == null || ai.getAttempt() != task.getAttempt() || ai.getStartedTimeMs() > 0) {
            return;
        }
        long expiry = task.getScheduleToStartMs() > 0 ? System.currentTimeMillis() + task.getScheduleToStartMs() : 0;
        matching.addTask(new AddTaskRequest(task.getNamespaceId(), task.getTaskQueue(), true, false, matchingTask(task, expiry)));
    }

    private static MatchingTask matchingTask(TransferTask task, long expiry) {
        return MatchingTask.newBuilder()
                .setNamespaceId(task.getNamespaceId())
                .setWorkflowId(task.getWorkflowId())
                .setRunId(task.getRunId())
                .setScheduledEventId(task.getScheduledEventId())
                .setAttempt(task.getAttempt())
                .setCreateTimeMs(System.currentTimeMillis())
                .setExpiryTimeMs(expiry)
                .build();
    }
}
