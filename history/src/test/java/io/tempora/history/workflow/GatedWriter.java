package io.tempora.history.workflow;

import io.tempora.persistence.SqlWork;
import io.tempora.persistence.TransactionRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A writer whose commits can be held back, then let through in order or failed: a slow or failing database. */
final class GatedWriter implements TransactionRunner {
    private record Held(SqlWork<Object> work, CompletableFuture<Object> result) {}

    private final TransactionRunner delegate;
    private final List<Held> held = new ArrayList<>();
    private boolean closedGate;

    GatedWriter(TransactionRunner delegate) {
        this.delegate = delegate;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> CompletableFuture<T> submit(SqlWork<T> work) {
        if (!closedGate) {
            return delegate.submit(work);
        }
        CompletableFuture<Object> result = new CompletableFuture<>();
        held.add(new Held((SqlWork<Object>) work, result));
        return (CompletableFuture<T>) result;
    }

    synchronized void hold() {
        closedGate = true;
    }

    synchronized int heldCount() {
        return held.size();
    }

    /** Lets the held commits through, in the order they were submitted. */
    synchronized void release() {
        closedGate = false;
        for (Held h : held) {
            delegate.submit(h.work()).whenComplete((v, e) -> {
                if (e != null) {
                    h.result().completeExceptionally(e);
                } else {
                    h.result().complete(v);
                }
            });
        }
        held.clear();
    }

    /** Fails the held commits without running them. */
    synchronized void fail(RuntimeException error) {
        closedGate = false;
        held.forEach(h -> h.result().completeExceptionally(error));
        held.clear();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
