package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.tempora.common.TaskTokens;
import io.tempora.common.Times;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.proto.TaskToken;
import io.tempora.history.workflow.ActivityStateMachine;
import io.tempora.history.workflow.Priorities;
import io.tempora.history.workflow.StateCodec;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import java.util.List;
import java.util.UUID;

/** A poller got an activity task: record the attempt as started and build the poll response. */
public final class RecordActivityTaskStarted {
    private record Started(ActivityInfo activity, ExecutionInfo execution) {}

    private final Workflows workflows;
    private final ScheduledEventCache scheduledEvents;

    public RecordActivityTaskStarted(Workflows workflows, ScheduledEventCache scheduledEvents) {
        this.workflows = workflows;
        this.scheduledEvents = scheduledEvents;
    }

    public PollActivityTaskQueueResponse record(String namespaceName, String namespaceId, MatchingTask task, String identity) {
        WorkflowKey key = new WorkflowKey(namespaceId, task.getWorkflowId(), task.getRunId());
        Started started = workflows.update(key, ms -> {
            ActivityInfo ai = ms.isRunning() ? ms.activity(task.getScheduledEventId()) : null;
            if (ai == null || ai.getAttempt() != task.getAttempt() || ai.getStartedTimeMs() > 0) {
                throw ServiceErrors.notFound("invalid activityID or activity already timed out or invoking workflow is completed");
            }
            return new Started(ActivityStateMachine.start(ms, ai, UUID.randomUUID().toString(), identity), ms.record().getExecution());
        });
        return response(namespaceName, key, started.activity(), started.execution());
    }

    /** The activity task a worker gets for a started attempt (also used for eager dispatch). */
    PollActivityTaskQueueResponse response(String namespaceName, WorkflowKey key, ActivityInfo ai, ExecutionInfo execution) {
        String workflowType = execution.getWorkflowType();
        String namespaceId = key.namespaceId();
        ActivityTaskScheduledEventAttributes scheduled = scheduledEvents.get(key, ai.getScheduledEventId());
        TaskToken token = TaskToken.newBuilder()
                .setNamespaceId(namespaceId)
                .setWorkflowId(key.workflowId())
                .setRunId(key.runId())
                .setScheduledEventId(ai.getScheduledEventId())
                .setAttempt(ai.getAttempt())
                .setActivityId(ai.getActivityId())
                .setActivity(true)
                .setStartedTimeMs(ai.getStartedTimeMs())
                .build();
        PollActivityTaskQueueResponse.Builder r = PollActivityTaskQueueResponse.newBuilder()
                .setTaskToken(TaskTokens.serialize(token))
                .setWorkflowNamespace(namespaceName)
                .setWorkflowType(WorkflowType.newBuilder().setName(workflowType))
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId()))
                .setActivityType(ActivityType.newBuilder().setName(ai.getActivityType()))
                .setActivityId(ai.getActivityId())
                .setHeader(scheduled.getHeader())
                .setScheduledTime(Times.timestamp(ai.getFirstScheduledTimeMs()))
                .setCurrentAttemptScheduledTime(Times.timestamp(ai.getScheduledTimeMs()))
                .setStartedTime(Times.timestamp(ai.getStartedTimeMs()))
                .setAttempt(ai.getAttempt())
                .setScheduleToCloseTimeout(Times.duration(ai.getScheduleToCloseMs()))
                .setStartToCloseTimeout(Times.duration(ai.getStartToCloseMs()))
                .setHeartbeatTimeout(Times.duration(ai.getHeartbeatTimeoutMs()))
                .setRetryPolicy(scheduled.getRetryPolicy());
        if (scheduled.hasInput()) {
            r.setInput(scheduled.getInput());
        }
        Payloads details = StateCodec.payloads(ai.getLastHeartbeatDetails());
        if (details != null) {
            r.setHeartbeatDetails(details);
        }
        // What the activity did not set comes from its workflow.
        var priority = Priorities.merge(StateCodec.priority(execution), scheduled.hasPriority() ? scheduled.getPriority() : null);
        if (!priority.equals(io.temporal.api.common.v1.Priority.getDefaultInstance())) {
            r.setPriority(priority);
        }
        return r.build();
    }

    /** Reads an ActivityTaskScheduled event, from memory when it was written recently (within a byte budget). */
    public static final class ScheduledEventCache {
        private final Workflows workflows;
        private final com.github.benmanes.caffeine.cache.Cache<String, ActivityTaskScheduledEventAttributes> cache;

        public ScheduledEventCache(Workflows workflows, long maxBytes) {
            this.workflows = workflows;
            this.cache = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
                    .executor(Runnable::run) // no wake-up of the common pool per write
                    .maximumWeight(maxBytes)
                    .weigher((String k, ActivityTaskScheduledEventAttributes v) -> 2 * k.length() + v.getSerializedSize() + 128)
                    .build();
        }

        public void remember(WorkflowKey key, List<HistoryEvent> events) {
            for (HistoryEvent e : events) {
                if (e.hasActivityTaskScheduledEventAttributes()) {
                    cache.put(cacheKey(key, e.getEventId()), e.getActivityTaskScheduledEventAttributes());
                }
            }
        }

        ActivityTaskScheduledEventAttributes get(WorkflowKey key, long eventId) {
            return cache.get(cacheKey(key, eventId), k -> {
                List<HistoryEvent> events = workflows.readHistory(key, eventId, eventId + 1);
                if (events.isEmpty()) {
                    throw ServiceErrors.internal("activity scheduled event " + eventId + " missing from history of " + key);
                }
                return events.getFirst().getActivityTaskScheduledEventAttributes();
            });
        }

        private static String cacheKey(WorkflowKey key, long eventId) {
            return key.namespaceId() + "/" + key.workflowId() + "/" + key.runId() + "/" + eventId;
        }
    }
}
