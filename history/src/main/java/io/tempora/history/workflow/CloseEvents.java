package io.tempora.history.workflow;

import io.temporal.api.history.v1.HistoryEvent;

/** Facts about a run's close event. */
public final class CloseEvents {
    private CloseEvents() {}

    /** The run a retried or cron run continues in ("" when the workflow ends with this run). */
    public static String nextRunId(HistoryEvent close) {
        return switch (close.getEventType()) {
            case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> close.getWorkflowExecutionCompletedEventAttributes().getNewExecutionRunId();
            case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> close.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId();
            case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> close.getWorkflowExecutionTimedOutEventAttributes().getNewExecutionRunId();
            default -> "";
        };
    }
}
