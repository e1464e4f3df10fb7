package io.tempora.persistence;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Runs write work, each unit atomically (all or nothing). */
public interface TransactionRunner extends AutoCloseable {

    <T> CompletableFuture<T> submit(SqlWork<T> work);

    /** Runs the work and waits until it is durably committed. */
    default <T> T run(SqlWork<T> work) {
        try {
            return submit(work).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new PersistenceException("write failed", e.getCause());
        }
    }

    @Override
    void close();
}
