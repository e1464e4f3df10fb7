package io.tempora.persistence;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs write work, each unit atomically (all or nothing). */
public interface TransactionRunner extends AutoCloseable {

    /** How long a caller waits for its commit at most; past it the outcome is unknown to the caller. */
    Duration COMMIT_WAIT = Duration.ofSeconds(60);

    <T> CompletableFuture<T> submit(SqlWork<T> work);

    /** Runs the work and waits until it is durably committed. */
    default <T> T run(SqlWork<T> work) {
        return await(submit(work));
    }

    /** Waits (at most {@link #COMMIT_WAIT}) for a submitted unit, rethrowing its failure as the store threw it. */
    static <T> T await(CompletableFuture<T> committed) {
        try {
            return committed.get(COMMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new PersistenceException("write failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new PersistenceException("the database did not commit within " + COMMIT_WAIT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PersistenceException("interrupted while waiting for a commit");
        }
    }

    @Override
    void close();
}
