package io.tempora.persistence;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Runs write work, each unit atomically (all or nothing). */
public interface TransactionRunner extends AutoCloseable {

    /** How long a caller waits for its commit at most; past it the outcome is unknown to the caller. */
    Duration COMMIT_WAIT = Duration.ofSeconds(60);

    /** Submits a unit; its future is answered within {@link #COMMIT_WAIT}, whatever happens to the database. */
    <T> CompletableFuture<T> submit(SqlWork<T> work);

    /** Runs the work and waits until it is durably committed. */
    default <T> T run(SqlWork<T> work) {
        return await(submit(work));
    }

    /**
     * Waits for a submitted unit, rethrowing its failure as the store threw it. Untimed: the runner answers within
     * {@link #COMMIT_WAIT} (see {@link #submit}), and a timed wait would arm a timer per commit.
     */
    static <T> T await(CompletableFuture<T> committed) {
        try {
            return committed.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new PersistenceException("write failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PersistenceException("interrupted while waiting for a commit");
        }
    }

    @Override
    void close();
}
