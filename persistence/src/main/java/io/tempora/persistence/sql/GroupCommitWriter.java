package io.tempora.persistence.sql;

import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.SqlWork;
import io.tempora.persistence.TransactionRunner;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for an embedded database with one writer (SQLite): units of work submitted concurrently
 * share one transaction and therefore one fsync. Each unit runs inside its own savepoint so a unit that
 * fails (e.g. a lost condition) is rolled back alone; callers are answered only after the commit.
 */
public final class GroupCommitWriter implements TransactionRunner {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;

    private record Pending<T>(SqlWork<T> work, CompletableFuture<T> result) {}

    private final Connection connection;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public GroupCommitWriter(Connection connection) throws SQLException {
        this.connection = connection;
        connection.setAutoCommit(false);
        this.thread = Thread.ofPlatform().name("tempora-db-writer").daemon(true).start(this::loop);
    }

    @Override
    public <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new PersistenceException("database is closed"));
            return result;
        }
        queue.add(new Pending<>(work, result));
        return result;
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commitBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commitBatch(List<Pending<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try {
            for (Pending<?> p : batch) {
                results.add(runInSavepoint(p.work()));
            }
            connection.commit();
        } catch (SQLException e) {
            log.error("group commit of {} units failed", batch.size(), e);
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is unusable; every unit of the batch is answered with the failure below
            }
            for (Pending<?> p : batch) {
                p.result().completeExceptionally(new PersistenceException("commit failed", e));
            }
            return;
        }
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
