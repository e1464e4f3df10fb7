package io.tempora.persistence;

import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;

/**
 * Everything one transition of a workflow run writes, committed atomically: the new MutableState, the
 * events appended to its history, and the outbox tasks.
 *
 * @param expectedDbVersion db_version the state was read at; 0 when the run is created
 * @param currentMode       how the workflow id's current-run pointer changes
 * @param previousRunId     for {@link CurrentMode#REPLACE}: the run that must still be current
 * @param newRun            the run started by this transition (continue-as-new), or null
 */
public record WorkflowWrite(
        int shardId,
        long rangeId,
        MutableStateRecord state,
        long expectedDbVersion,
        List<HistoryEvent> events,
        List<HistoryTask> tasks,
        CurrentMode currentMode,
        String previousRunId,
        WorkflowWrite newRun) {

    /** The first write of a run that continues this one (continue-as-new), committed in the same transaction. */
    public WorkflowWrite withNewRun(WorkflowWrite next) {
        return new WorkflowWrite(shardId, rangeId, state, expectedDbVersion, events, tasks, currentMode, previousRunId, next);
    }


    public enum CurrentMode {
        /** Create: the workflow id must have no current run. */
        BRAND_NEW,
        /** Create: replace the current run {@code previousRunId} (it must be closed or being closed). */
        REPLACE,
        /** Update of an existing run: refresh the current row's status. */
        UPDATE_STATUS
    }
}
