package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Small helpers for asserting on workflow event histories. */
public final class Histories {

    public static final Set<EventType> CLOSE_EVENTS = EnumSet.of(
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);

    /** The exact history of a workflow that runs one activity and returns its result. */
    public static final List<EventType> ONE_ACTIVITY_HISTORY = List.of(
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
            EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
            EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
            EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);

    private Histories() {
    }

    /** The full history of the latest run of {@code workflowId}. */
    public static List<HistoryEvent> events(WorkflowClient client, String workflowId) {
        return client.fetchHistory(workflowId).getEvents();
    }

    /** The full history of one run. */
    public static List<HistoryEvent> events(io.temporal.serviceclient.WorkflowServiceStubs service, String workflowId, String runId) {
        return service.blockingStub().getWorkflowExecutionHistory(io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE)
                        .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId)).build())
                .getHistory().getEventsList();
    }

    public static List<EventType> types(List<HistoryEvent> events) {
        return events.stream().map(HistoryEvent::getEventType).toList();
    }

    public static long count(List<HistoryEvent> events, EventType type) {
        return events.stream().filter(e -> e.getEventType() == type).count();
    }

    public static List<HistoryEvent> ofType(List<HistoryEvent> events, EventType type) {
        return events.stream().filter(e -> e.getEventType() == type).toList();
    }

    public static boolean contains(WorkflowClient client, String workflowId, EventType type) {
        return events(client, workflowId).stream().anyMatch(e -> e.getEventType() == type);
    }

    /**
     * Structural invariants every history must satisfy: event ids 1..N without gaps or duplicates,
     * WorkflowExecutionStarted first, and at most one close event which, if present, is the last event.
     */
    public static void assertWellFormed(String workflowId, List<HistoryEvent> events) {
        assertThat(events).as("history of %s", workflowId).isNotEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).getEventId())
                    .as("event id at position %d of %s (types %s)", i, workflowId, types(events))
                    .isEqualTo(i + 1L);
        }
        assertThat(events.get(0).getEventType())
                .as("first event of %s", workflowId)
                .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
        long closeEvents = events.stream().filter(e -> CLOSE_EVENTS.contains(e.getEventType())).count();
        assertThat(closeEvents).as("close events in %s: %s", workflowId, types(events)).isLessThanOrEqualTo(1);
        if (closeEvents == 1) {
            assertThat(CLOSE_EVENTS).as("last event of %s: %s", workflowId, types(events))
                    .contains(events.get(events.size() - 1).getEventType());
        }
    }

    /**
     * {@link #assertWellFormed} plus: completed exactly once, and exactly {@code activities} activities
     * scheduled, started and completed (no duplicates after retries or crashes).
     */
    public static void assertCompletedWithActivities(String workflowId, List<HistoryEvent> events, int activities) {
        assertWellFormed(workflowId, events);
        List<EventType> types = types(events);
        assertThat(count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED))
                .as("WorkflowExecutionCompleted events in %s: %s", workflowId, types).isEqualTo(1);
        assertThat(types.get(types.size() - 1))
                .as("last event of %s", workflowId).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        assertThat(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
                .as("ActivityTaskScheduled events in %s: %s", workflowId, types).isEqualTo(activities);
        assertThat(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED))
                .as("ActivityTaskStarted events in %s: %s", workflowId, types).isEqualTo(activities);
        assertThat(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED))
                .as("ActivityTaskCompleted events in %s: %s", workflowId, types).isEqualTo(activities);
        // Every completion refers to a distinct scheduled event.
        List<Long> completedScheduledIds = ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).stream()
                .map(e -> e.getActivityTaskCompletedEventAttributes().getScheduledEventId())
                .toList();
        List<Long> scheduledIds = ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).stream()
                .map(HistoryEvent::getEventId)
                .toList();
        assertThat(completedScheduledIds).as("scheduled ids of completed activities in %s", workflowId)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(scheduledIds);
        // Every started workflow task was closed exactly once (completed, failed or timed out).
        List<Long> wftStartedIds = ofType(events, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).stream()
                .map(HistoryEvent::getEventId)
                .toList();
        List<Long> wftClosedStartedIds = new ArrayList<>();
        for (HistoryEvent e : events) {
            switch (e.getEventType()) {
                case EVENT_TYPE_WORKFLOW_TASK_COMPLETED ->
                        wftClosedStartedIds.add(e.getWorkflowTaskCompletedEventAttributes().getStartedEventId());
                case EVENT_TYPE_WORKFLOW_TASK_FAILED ->
                        wftClosedStartedIds.add(e.getWorkflowTaskFailedEventAttributes().getStartedEventId());
                case EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT -> {
                    long startedId = e.getWorkflowTaskTimedOutEventAttributes().getStartedEventId();
                    if (startedId != 0) { // schedule-to-start timeouts (sticky queue) never started
                        wftClosedStartedIds.add(startedId);
                    }
                }
                default -> {
                }
            }
        }
        assertThat(wftClosedStartedIds)
                .as("started event ids referenced by closed workflow tasks in %s: %s", workflowId, types)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(wftStartedIds);
    }
}
