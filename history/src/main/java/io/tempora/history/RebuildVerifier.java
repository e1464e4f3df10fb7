package io.tempora.history;

import io.tempora.common.proto.MutableStateRecord;
import io.tempora.history.workflow.MutableStateRebuilder;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.persistence.ExecutionKey;
import io.tempora.persistence.ExecutionStore;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;

/** Checks the event-sourcing invariant for stored runs: MutableState rebuilt from history equals the persisted one. */
public final class RebuildVerifier {
    private final ExecutionStore store;

    public RebuildVerifier(ExecutionStore store) {
        this.store = store;
    }

    /** Returns one description per run whose state differs (runs with buffered events are skipped). */
    public List<String> verifyAll() {
        List<String> mismatches = new ArrayList<>();
        for (ExecutionKey k : store.listAll()) {
            // State and history are separate reads: a transition may commit in between (the run is still busy). Read
            // until the state is the same on both sides of the history read.
            MutableStateRecord persisted = store.get(k.shardId(), k.namespaceId(), k.workflowId(), k.runId()).orElseThrow();
            List<HistoryEvent> history = store.readHistory(k.shardId(), k.namespaceId(), k.workflowId(), k.runId(), 1, Long.MAX_VALUE);
            for (int attempt = 0; attempt < 10; attempt++) {
                MutableStateRecord again = store.get(k.shardId(), k.namespaceId(), k.workflowId(), k.runId()).orElseThrow();
                if (again.getDbVersion() == persisted.getDbVersion()) {
                    break;
                }
                persisted = again;
                history = store.readHistory(k.shardId(), k.namespaceId(), k.workflowId(), k.runId(), 1, Long.MAX_VALUE);
            }
            if (persisted.getBufferedEventsCount() > 0) {
                continue;
            }
            WorkflowKey key = new WorkflowKey(k.namespaceId(), k.workflowId(), k.runId());
            try {
                MutableStateRecord rebuilt = MutableStateRebuilder.eventDerived(MutableStateRebuilder.rebuild(key, history));
                MutableStateRecord expected = MutableStateRebuilder.eventDerived(persisted);
                if (!rebuilt.equals(expected)) {
                    mismatches.add(key + ": persisted " + expected + " rebuilt " + rebuilt);
                }
            } catch (RuntimeException e) {
                mismatches.add(key + ": " + e.getMessage());
            }
        }
        return mismatches;
    }
}
