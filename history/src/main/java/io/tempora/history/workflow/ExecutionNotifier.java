package io.tempora.history.workflow;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Wakes long polls (history with wait_new_event) when a workflow run commits a transition. */
public final class ExecutionNotifier {
    private final ConcurrentMap<WorkflowKey, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

    /** Register first, then check the state, then wait on the future: no change can be missed. */
    public CompletableFuture<Void> watch(WorkflowKey key) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        // compute() is atomic with changed()'s remove(): a waiter is either in the list being woken or in a new one.
        waiters.compute(key, (k, list) -> {
            List<CompletableFuture<Void>> l = list != null ? list : new CopyOnWriteArrayList<>();
            l.add(f);
            return l;
        });
        return f;
    }

    public void unwatch(WorkflowKey key, CompletableFuture<Void> f) {
        waiters.computeIfPresent(key, (k, list) -> {
            list.remove(f);
            return list.isEmpty() ? null : list;
        });
    }

    public void changed(WorkflowKey key) {
        List<CompletableFuture<Void>> list = waiters.remove(key);
        if (list != null) {
            list.forEach(f -> f.complete(null));
        }
    }
}
