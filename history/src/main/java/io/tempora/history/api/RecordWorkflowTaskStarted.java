package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.tempora.common.TaskTokens;
import io.tempora.common.Times;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.proto.TaskToken;
import io.tempora.common.proto.WorkflowTaskInfo;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.WorkflowTaskStateMachine;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import java.util.List;
import java.util.UUID;

/**
 * A poller got a workflow task from matching: record it as started and build the poll response with the
 * history the worker needs (full history, or only the new events for a sticky worker).
 */
public final class RecordWorkflowTaskStarted {
    record Started(ExecutionInfo execution, WorkflowTaskInfo task, List<HistoryEvent> transientEvents, long persistedNextEventId) {}

    private final Workflows workflows;
    private final HistoryPages pages;
    private final int pageSize;
    private final UpdateWorkflow updates;

    public RecordWorkflowTaskStarted(Workflows workflows, HistoryPages pages, int pageSize, UpdateWorkflow updates) {
        this.workflows = workflows;
        this.pages = pages;
        this.pageSize = pageSize;
        this.updates = updates;
    }

    public PollWorkflowTaskQueueResponse record(String namespaceId, MatchingTask task, String identity, boolean stickyPoll) {
        WorkflowKey key = new WorkflowKey(namespaceId, task.getWorkflowId(), task.getRunId());
        Started started = workflows.update(key, ms -> {
            if (!ms.isRunning() || !ms.hasPendingWorkflowTask()
                    || ms.workflowTask().getScheduledEventId() != task.getScheduledEventId()
                    || ms.workflowTask().getAttempt() != task.getAttempt()) {
                throw ServiceErrors.notFound("Workflow task not found.");
            }
            if (ms.isWorkflowTaskStarted()) {
                throw ServiceErrors.notFound("Workflow task already started.");
            }
            List<HistoryEvent> transientEvents = WorkflowTaskStateMachine.start(ms, UUID.randomUUID().toString(), identity,
                    workflows.suggestContinueAsNew(ms) || updates.suggestContinueAsNew(ms));
            return new Started(ms.record().getExecution(), ms.workflowTask(), transientEvents, ms.nextEventId());
        });
        return buildResponse(key, started, stickyPoll);
    }

    /** Starts the next workflow task right away for RespondWorkflowTaskCompleted with return_new_workflow_task. */
    Started startInline(MutableState ms, String identity) {
        List<HistoryEvent> transientEvents = WorkflowTaskStateMachine.start(ms, UUID.randomUUID().toString(), identity,
                    workflows.suggestContinueAsNew(ms) || updates.suggestContinueAsNew(ms));
        return new Started(ms.record().getExecution(), ms.workflowTask(), transientEvents, ms.nextEventId());
    }

    PollWorkflowTaskQueueResponse buildResponse(WorkflowKey key, Started s, boolean partialHistory) {
        WorkflowTaskInfo wt = s.task();
        ExecutionInfo info = s.execution();
        long previousStarted = info.getLastCompletedWftStartedEventId();
        long from = partialHistory && previousStarted > 0 ? previousStarted + 1 : 1;
        HistoryPages.Page page = pages.read(key, from, s.persistedNextEventId(), s.transientEvents(), pageSize);
        TaskToken token = TaskToken.newBuilder()
                .setNamespaceId(key.namespaceId())
                .setWorkflowId(key.workflowId())
                .setRunId(key.runId())
                .setScheduledEventId(wt.getScheduledEventId())
                .setStartedEventId(wt.getStartedEventId())
                .setAttempt(wt.getAttempt())
                .setStartedTimeMs(wt.getStartedTimeMs())
                .build();
        return PollWorkflowTaskQueueResponse.newBuilder()
                .setTaskToken(TaskTokens.serialize(token))
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId()))
                .setWorkflowType(WorkflowType.newBuilder().setName(info.getWorkflowType()))
                .setPreviousStartedEventId(previousStarted)
                .setStartedEventId(wt.getStartedEventId())
                .setAttempt(wt.getAttempt())
                .setHistory(page.history())
                .setNextPageToken(page.nextPageToken())
                .setWorkflowExecutionTaskQueue(TaskQueue.newBuilder().setName(info.getTaskQueue()).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                .setScheduledTime(Times.timestamp(wt.getScheduledTimeMs()))
                .setStartedTime(Times.timestamp(wt.getStartedTimeMs()))
                .addAllMessages(updates.requestMessages(key, wt.getStartedEventId()))
                .build();
    }
}
