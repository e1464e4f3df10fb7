package io.tempora.history.api;

import io.tempora.common.Times;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.WorkflowTaskInfo;
import io.tempora.history.workflow.StateCodec;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.PendingWorkflowTaskState;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.PendingWorkflowTaskInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionConfig;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;

/** DescribeWorkflowExecution: configuration, status and pending work of a run, from its MutableState. */
public final class DescribeWorkflow {
    private final Workflows workflows;

    public DescribeWorkflow(Workflows workflows) {
        this.workflows = workflows;
    }

    public DescribeWorkflowExecutionResponse describe(String namespaceId, String workflowId, String runId) {
        WorkflowKey key = workflows.resolve(namespaceId, workflowId, runId);
        MutableStateRecord s = workflows.get(key);
        ExecutionInfo e = s.getExecution();
        WorkflowExecutionInfo.Builder info = WorkflowExecutionInfo.newBuilder()
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId()))
                .setType(WorkflowType.newBuilder().setName(e.getWorkflowType()))
                .setStartTime(Times.timestamp(e.getStartTimeMs()))
                .setExecutionTime(Times.timestamp(e.getStartTimeMs() + e.getFirstWorkflowTaskBackoffMs()))
                .setStatus(WorkflowExecutionStatus.forNumber(e.getStatus()))
                .setHistoryLength(s.getNextEventId() - 1)
                .setTaskQueue(e.getTaskQueue())
                .setMemo(StateCodec.memo(e))
                .setSearchAttributes(StateCodec.searchAttributes(e))
                .setStateTransitionCount(e.getStateTransitionCount())
                .setFirstRunId(e.getFirstExecutionRunId())
                .setPriority(StateCodec.priority(e))
                .setRootExecution(WorkflowExecution.newBuilder().setWorkflowId(e.getRootWorkflowId()).setRunId(e.getRootRunId()));
        if (e.getCloseTimeMs() > 0) {
            info.setCloseTime(Times.timestamp(e.getCloseTimeMs()));
            info.setExecutionDuration(Times.duration(e.getCloseTimeMs() - e.getStartTimeMs()));
        }
        if (!e.getParentWorkflowId().isEmpty()) {
            info.setParentNamespaceId(e.getParentNamespaceId())
                    .setParentExecution(WorkflowExecution.newBuilder().setWorkflowId(e.getParentWorkflowId()).setRunId(e.getParentRunId()));
        }
        WorkflowExecutionConfig.Builder config = WorkflowExecutionConfig.newBuilder()
                .setTaskQueue(TaskQueue.newBuilder().setName(e.getTaskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .setWorkflowExecutionTimeout(Times.duration(e.getExecutionTimeoutMs()))
                .setWorkflowRunTimeout(Times.duration(e.getRunTimeoutMs()))
                .setDefaultWorkflowTaskTimeout(Times.duration(e.getTaskTimeoutMs()));
        HistoryEvent started = workflows.readHistory(key, 1, 2).getFirst();
        if (started.hasUserMetadata()) {
            config.setUserMetadata(started.getUserMetadata()); // the start request's summary and details
        }
        DescribeWorkflowExecutionResponse.Builder r = DescribeWorkflowExecutionResponse.newBuilder()
                .setExecutionConfig(config)
                .setWorkflowExecutionInfo(info);
        for (io.tempora.common.proto.ChildInfo c : s.getChildrenMap().values()) {
            r.addPendingChildren(io.temporal.api.workflow.v1.PendingChildExecutionInfo.newBuilder()
                    .setWorkflowId(c.getWorkflowId())
                    .setRunId(c.getRunId())
                    .setWorkflowTypeName(c.getWorkflowType())
                    .setInitiatedId(c.getInitiatedEventId())
                    .setParentClosePolicy(io.temporal.api.enums.v1.ParentClosePolicy.forNumber(c.getParentClosePolicy())));
        }
        for (ActivityInfo ai : s.getActivitiesMap().values()) {
            r.addPendingActivities(pendingActivity(ai));
        }
        if (s.hasWorkflowTask()) {
            WorkflowTaskInfo wt = s.getWorkflowTask();
            PendingWorkflowTaskInfo.Builder p = PendingWorkflowTaskInfo.newBuilder()
                    .setState(wt.getStartedEventId() > 0 ? PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED
                            : PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED)
                    .setScheduledTime(Times.timestamp(wt.getScheduledTimeMs()))
                    .setOriginalScheduledTime(Times.timestamp(wt.getScheduledTimeMs()))
                    .setAttempt(wt.getAttempt());
            if (wt.getStartedTimeMs() > 0) {
                p.setStartedTime(Times.timestamp(wt.getStartedTimeMs()));
            }
            r.setPendingWorkflowTask(p);
        }
        return r.build();
    }

    private static PendingActivityInfo pendingActivity(ActivityInfo ai) {
        PendingActivityState state = ai.getCancelRequested() ? PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
                : ai.getStartedTimeMs() > 0 ? PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                : PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED;
        PendingActivityInfo.Builder p = PendingActivityInfo.newBuilder()
                .setActivityId(ai.getActivityId())
                .setActivityType(ActivityType.newBuilder().setName(ai.getActivityType()))
                .setState(state)
                .setAttempt(ai.getAttempt())
                .setScheduledTime(Times.timestamp(ai.getScheduledTimeMs()))
                .setLastWorkerIdentity(ai.getStartedIdentity().isEmpty() ? ai.getLastWorkerIdentity() : ai.getStartedIdentity());
        if (ai.getStartedTimeMs() > 0) {
            p.setLastStartedTime(Times.timestamp(ai.getStartedTimeMs()));
        }
        if (ai.getLastHeartbeatTimeMs() > 0) {
            p.setLastHeartbeatTime(Times.timestamp(ai.getLastHeartbeatTimeMs()));
        }
        Payloads details = StateCodec.payloads(ai.getLastHeartbeatDetails());
        if (details != null) {
            p.setHeartbeatDetails(details);
        }
        Failure last = StateCodec.failure(ai.getLastFailure());
        if (last != null) {
            p.setLastFailure(last);
        }
        if (ai.getScheduleToCloseMs() > 0) {
            p.setExpirationTime(Times.timestamp(ai.getFirstScheduledTimeMs() + ai.getScheduleToCloseMs()));
        }
        return p.build();
    }
}
