package io.tempora.persistence.sql;

import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.SqlWork;
import io.tempora.persistence.TransactionRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for an embedded database with one writer (SQLite): units of work submitted concurrently
 * share one transaction and therefore one fsync. Each unit runs inside its own savepoint so a unit that
 * fails (e.g. a lost condition) is rolled back alone; callers are answered only after the commit.
 *
 * <p>No caller is left waiting: whatever goes wrong in a batch (an SQL failure, a RuntimeException, an Error such
 * as OutOfMemoryError) answers every unit of it, and the writer goes on with the next batch. The queue is bounded:
 * a caller waits a bounded time for room, then is refused ("overloaded").
 */
public final class GroupCommitWriter implements TransactionRunner {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;
    public static final int DEFAULT_QUEUE_CAPACITY = 8192;
    public static final Duration DEFAULT_ENQUEUE_TIMEOUT = Duration.ofSeconds(5);

    private record Pending<T>(SqlWork<T> work, CompletableFuture<T> result) {}

    private final Connection connection;
    private final BlockingQueue<Pending<?>> queue;
    private final Duration enqueueTimeout;
    private final Thread thread;
    private volatile boolean closed;

    public GroupCommitWriter(Connection connection) throws SQLException {
        this(connection, DEFAULT_QUEUE_CAPACITY, DEFAULT_ENQUEUE_TIMEOUT);
    }

    public GroupCommitWriter(Connection connection, int queueCapacity, Duration enqueueTimeout) throws SQLException {
        this.connection = connection;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.enqueueTimeout = enqueueTimeout;
        connection.setAutoCommit(false);
        this.thread = Thread.ofPlatform().name("tempora-db-writer").daemon(true).start(this::loop);
    }

    @Override
    public <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed || !thread.isAlive()) {
            result.completeExceptionally(new PersistenceException("database is closed"));
            return result;
        }
        try {
            if (!queue.offer(new Pending<>(work, result), enqueueTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                result.completeExceptionally(new PersistenceException("database writer is overloaded: "
                        + queue.size() + " writes are waiting, try again"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.completeExceptionally(new PersistenceException("interrupted while waiting for the database writer"));
        }
        return result;
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>();
        try {
            while (!closed || !queue.isEmpty()) {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                try {
                    commitBatch(batch);
                } catch (Throwable t) { // also an Error: its callers are answered, the writer goes on
                    log.error("group commit of {} units failed", batch.size(), t);
                    rollbackQuietly();
                    failAll(batch, t);
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Whatever ends the loop, nothing queued may wait forever.
            List<Pending<?>> left = new ArrayList<>(batch);
            queue.drainTo(left);
            failAll(left, new PersistenceException("database is closed"));
        }
    }

    private void commitBatch(List<Pending<?>> batch) throws SQLException {
        List<Object> results = new ArrayList<>(batch.size());
        for (Pending<?> p : batch) {
            results.add(runInSavepoint(p.work()));
        }
        connection.commit();
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    private Object runInSavepoint(SqlWork<?> work) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SAVEPOINT unit");
        }
        try {
            Object value = work.run(connection);
            try (Statement st = connection.createStatement()) {
                st.execute("RELEASE SAVEPOINT unit");
            }
            return value;
        } catch (RuntimeException | SQLException e) {
            try (Statement st = connection.createStatement()) {
                st.execute("ROLLBACK TO SAVEPOINT unit");
                st.execute("RELEASE SAVEPOINT unit");
            }
            return new Failed(e);
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // the connection may be unusable; the next batch finds out and fails its callers the same way
        }
    }

    private static void failAll(List<Pending<?>> batch, Throwable cause) {
        PersistenceException failure = cause instanceof PersistenceException pe ? pe
                : new PersistenceException("write failed: " + cause, cause);
        for (Pending<?> p : batch) {
            p.result().completeExceptionally(failure);
        }
    }

    private record Failed(Exception error) {}

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object value) {
        if (value instanceof Failed f) {
            p.result().completeExceptionally(f.error() instanceof RuntimeException re ? re
                    : new PersistenceException("write failed: " + f.error().getMessage(), f.error()));
        } else {
            p.result().complete((T) value);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(5000);
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            log.warn("closing writer connection failed", e);
        }
    }
}
