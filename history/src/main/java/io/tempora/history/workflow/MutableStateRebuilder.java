package io.tempora.history.workflow;

import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;

/**
 * Rebuilds a run's MutableState from its history through the same appliers live processing uses. The
 * persisted state must equal the rebuilt one, apart from what is by design not in history (see
 * {@link #eventDerived}).
 */
public final class MutableStateRebuilder {
    private MutableStateRebuilder() {}

    public static MutableStateRecord rebuild(WorkflowKey key, List<HistoryEvent> history) {
        MutableStateRecord.Builder state = MutableStateRecord.newBuilder()
                .setExecution(ExecutionInfo.newBuilder()
                        .setNamespaceId(key.namespaceId())
                        .setWorkflowId(key.workflowId())
                        .setRunId(key.runId()))
                .setNextEventId(1);
        for (HistoryEvent event : history) {
            if (event.getEventId() != state.getNextEventId()) {
                throw new IllegalStateException("history of " + key + " has event " + event.getEventId()
                        + " where " + state.getNextEventId() + " was expected");
            }
            EventAppliers.apply(state, event);
            state.setNextEventId(event.getEventId() + 1);
        }
        return state.build();
    }

    /**
     * The part of a persisted record that history determines: drops the record version, the sticky queue, the last
     * visibility task, the create request id, counters, close processing flags, transient workflow task attempts and the in-flight data of activity attempts.
     */
    public static MutableStateRecord eventDerived(MutableStateRecord record) {
        MutableStateRecord.Builder b = record.toBuilder().clearDbVersion().clearSticky().clearSignalRequestIds().clearLastVisibilityTaskId();
        b.getExecutionBuilder().clearStateTransitionCount().clearCreateRequestId().clearHistorySizeBytes()
                .clearCloseTaskPending().clearDeleteAfterClose();
        if (b.hasWorkflowTask() && (b.getWorkflowTask().getAttempt() > 1 || b.getWorkflowTask().getSpeculative())) {
            b.clearWorkflowTask();
        }
        for (ActivityInfo ai : record.getActivitiesMap().values()) {
            b.putActivities(ai.getScheduledEventId(), ai.toBuilder()
                    .clearAttempt().clearScheduledTimeMs().clearStartedTimeMs().clearStartedIdentity().clearRequestId()
                    .clearLastFailure().clearLastWorkerIdentity().clearLastHeartbeatDetails().clearLastHeartbeatTimeMs()
                    .clearStartedEventId().build());
        }
        return b.build();
    }
}
