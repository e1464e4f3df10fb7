package io.tempora.persistence.sql;

import io.tempora.persistence.CommitOutcomeUnknownException;
import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.SqlWork;
import io.tempora.persistence.TransactionFences;
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
 * Group commit on one writer connection: units of work submitted concurrently share one transaction and therefore
 * one commit (one fsync). A unit that fails (e.g. a lost condition) must be rolled back alone, which savepoints do;
 * they cost two statements per unit (a round trip each on a database server), so a batch runs without them first
 * and only when one of its units fails is the transaction rolled back and the batch run again, each unit in its own
 * savepoint (units are plain SQL on the connection, so running one again is safe). Callers are answered only after
 * the commit.
 *
 * <p>No caller is left waiting: whatever goes wrong in a batch (an SQL failure, a RuntimeException, an Error such
 * as OutOfMemoryError) answers every unit of it, and the writer goes on with the next batch. The queue is bounded:
 * a caller waits a bounded time for room, then is refused ("overloaded").
 *
 * <p>A database server can go away: a batch that fails on a connection that is no longer valid drops it, and the next
 * batch opens a new one from the {@link ConnectionSource} (at most one attempt a second; the batches in between fail at
 * once, which callers see as UNAVAILABLE). Work the database rolled back on its own (SQLSTATE class 40: a deadlock or a
 * serialization failure) is run again, a few times: alone when its savepoint survived, with its whole batch when the
 * database rolled back the transaction (MySQL does on a deadlock). When the commit itself fails, whether the batch
 * is durable is unknown: its callers get a {@link CommitOutcomeUnknownException}.
 */
public final class GroupCommitWriter implements TransactionRunner {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 512;
    public static final int DEFAULT_QUEUE_CAPACITY = 8192;
    public static final Duration DEFAULT_ENQUEUE_TIMEOUT = Duration.ofSeconds(5);

    private record Pending<T>(SqlWork<T> work, CompletableFuture<T> result, long submittedNanos) {}

    /** Opens the writer's connection (with its session settings and locks); called again after one was lost. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private static final int MAX_ATTEMPTS = 3;
    private static final long RECONNECT_INTERVAL_MS = 1000;
    /** A connection unused this long is checked before a batch: a database server may have closed it (wait_timeout). */
    private static final long IDLE_CHECK_MS = 30_000;

    private final ConnectionSource source;
    private volatile Connection connection; // null while lost; replaced only by the writer thread
    private long nextConnectAttempt;
    private String lastConnectFailure;
    private long lastUsed = System.currentTimeMillis();
    private final BlockingQueue<Pending<?>> queue;
    private final Duration enqueueTimeout;
    private final Thread thread;
    private final Duration commitWait;
    /** The batch being written (a copy), for the watchdog. */
    private volatile List<Pending<?>> writing = List.of();
    private volatile boolean closed;

    /** A writer on one connection that is never replaced (an embedded database). */
    public GroupCommitWriter(Connection connection) throws SQLException {
        this(connection, DEFAULT_QUEUE_CAPACITY, DEFAULT_ENQUEUE_TIMEOUT);
    }

    public GroupCommitWriter(Connection connection, int queueCapacity, Duration enqueueTimeout) throws SQLException {
        this(connection, () -> connection, queueCapacity, enqueueTimeout, TransactionRunner.COMMIT_WAIT);
    }

    GroupCommitWriter(Connection connection, int queueCapacity, Duration enqueueTimeout, Duration commitWait) throws SQLException {
        this(connection, () -> connection, queueCapacity, enqueueTimeout, commitWait);
    }

    /** A writer on {@code first}, which opens a new connection from {@code source} when one is lost. */
    public GroupCommitWriter(Connection first, ConnectionSource source) throws SQLException {
        this(first, source, DEFAULT_QUEUE_CAPACITY, DEFAULT_ENQUEUE_TIMEOUT, TransactionRunner.COMMIT_WAIT);
    }

    private GroupCommitWriter(Connection first, ConnectionSource source, int queueCapacity, Duration enqueueTimeout,
                              Duration commitWait) throws SQLException {
        this.source = source;
        this.connection = first;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.enqueueTimeout = enqueueTimeout;
        this.commitWait = commitWait;
        first.setAutoCommit(false);
        this.thread = Thread.ofPlatform().name("tempora-db-writer").daemon(true).start(this::loop);
        Thread.ofPlatform().name("tempora-db-writer-watchdog").daemon(true).start(this::watch);
    }

    @Override
    public <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed || !thread.isAlive()) {
            result.completeExceptionally(new PersistenceException("database is closed"));
            return result;
        }
        try {
            if (!queue.offer(new Pending<>(work, result, System.nanoTime()), enqueueTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
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
                batch.removeIf(p -> p.result().isDone()); // answered by the watchdog: not written
                if (batch.isEmpty()) {
                    continue;
                }
                writing = List.copyOf(batch);
                runBatch(batch);
                writing = List.of();
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

    /**
     * Callers wait for their commit without a timeout of their own (a timed wait costs every caller a timer of the
     * JDK's delay scheduler, armed and cancelled): this watchdog answers, once a second, every unit that has waited
     * longer than the commit wait, queued or being written, with a {@link CommitOutcomeUnknownException} (a shard
     * that gets one reads its outbox again). A queued unit answered so is not written any more; one being written may
     * still commit. Once the writer has stopped, it answers whatever was queued after the writer's last look.
     */
    private void watch() {
        while (!closed || thread.isAlive() || !queue.isEmpty()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            if (closed && !thread.isAlive()) {
                List<Pending<?>> left = new ArrayList<>();
                queue.drainTo(left);
                failAll(left, new PersistenceException("database is closed"));
                continue;
            }
            long oldest = System.nanoTime() - commitWait.toNanos();
            writing.forEach(p -> timeOutIfOlder(p, oldest));
            Pending<?> head = queue.peek();
            if (head != null && head.submittedNanos() - oldest < 0) {
                queue.forEach(p -> timeOutIfOlder(p, oldest));
            }
        }
    }

    private void timeOutIfOlder(Pending<?> p, long oldest) {
        if (p.submittedNanos() - oldest < 0 && !p.result().isDone()) {
            p.result().completeExceptionally(new CommitOutcomeUnknownException(
                    "the database did not commit within " + commitWait.toSeconds() + " s", null));
        }
    }

    private void runBatch(List<Pending<?>> batch) {
        for (int attempt = 1; ; attempt++) {
            Connection c;
            try {
                c = connection();
            } catch (PersistenceException e) {
                failAll(batch, e);
                return;
            }
            try {
                commitBatch(c, batch);
                lastUsed = System.currentTimeMillis();
                return;
            } catch (CommitOutcomeUnknownException e) {
                log.error("the commit of {} units failed, their outcome is unknown: {}", batch.size(), OpenFailures.rootMessage(e));
                if (!isValid(c)) {
                    drop(c);
                }
                failAll(batch, e);
                return;
            } catch (Throwable t) { // also an Error: its callers are answered, the writer goes on
                rollbackQuietly(c);
                if (isRolledBackByDatabase(t) && attempt < MAX_ATTEMPTS) {
                    log.info("the database rolled back a batch of {} units ({}), running it again", batch.size(), t.getMessage());
                    continue;
                }
                if (!isValid(c)) {
                    log.error("lost the database connection while writing {} units: {}", batch.size(), OpenFailures.rootMessage(t));
                    drop(c);
                    failAll(batch, new PersistenceException("database unavailable: " + OpenFailures.rootMessage(t), t));
                } else {
                    log.error("group commit of {} units failed", batch.size(), t);
                    failAll(batch, t);
                }
                return;
            }
        }
    }

    /**
     * The writer's connection: checked first when it sat idle, opened anew if it was lost (no more than once a second,
     * never once the writer is closed).
     */
    private Connection connection() {
        Connection current = connection;
        long now = System.currentTimeMillis();
        if (current != null && now - lastUsed > IDLE_CHECK_MS && !isValid(current)) {
            log.warn("the idle database writer connection was closed by the database; opening a new one");
            drop(current);
            current = null;
        }
        if (current != null) {
            return current;
        }
        if (closed) {
            throw new PersistenceException("database is closed");
        }
        if (now < nextConnectAttempt) {
            throw new PersistenceException("database unavailable: " + lastConnectFailure);
        }
        Connection c = null;
        try {
            c = source.open();
            c.setAutoCommit(false);
            connection = c;
            lastUsed = now;
            lastConnectFailure = null;
            log.info("database writer connection re-established");
            return c;
        } catch (SQLException | RuntimeException e) {
            OpenFailures.closeQuietly(c);
            String failure = OpenFailures.rootMessage(e);
            if (!failure.equals(lastConnectFailure)) {
                log.error("opening the database writer connection failed (trying again every second): {}", failure);
            }
            nextConnectAttempt = now + RECONNECT_INTERVAL_MS;
            lastConnectFailure = failure;
            throw new PersistenceException("database unavailable: " + failure, e);
        }
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private void drop(Connection c) {
        connection = null;
        OpenFailures.closeQuietly(c);
    }

    /** SQLSTATE class 40 (transaction rollback): the database undid the work itself, so running it again is safe. */
    static boolean isRolledBackByDatabase(Throwable e) {
        return io.tempora.persistence.SqlDialect.anyCause(e, se -> se.getSQLState() != null && se.getSQLState().startsWith("40"));
    }

    private void commitBatch(Connection connection, List<Pending<?>> batch) throws SQLException {
        TransactionFences.forgetAll();
        List<Object> results = runWithoutSavepoints(connection, batch);
        if (results == null) {
            TransactionFences.forgetAll();
            connection.rollback();
            results = new ArrayList<>(batch.size());
            for (Pending<?> p : batch) {
                results.add(runInSavepoint(connection, p.work()));
            }
        }
        try {
            TransactionFences.forgetAll();
            connection.commit();
        } catch (SQLException e) {
            throw new CommitOutcomeUnknownException("the commit failed, its outcome is unknown: " + OpenFailures.rootMessage(e), e);
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    /** The units' results, or null once one failed (the transaction then holds part of the batch: roll it back). */
    private static List<Object> runWithoutSavepoints(Connection connection, List<Pending<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        for (Pending<?> p : batch) {
            try {
                results.add(p.work().run(connection));
            } catch (RuntimeException | SQLException e) {
                return null;
            }
        }
        return results;
    }

    private static Object runInSavepoint(Connection connection, SqlWork<?> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
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
                TransactionFences.forgetAll(); // rolling back to the savepoint may release the unit's fence locks
                try (Statement st = connection.createStatement()) {
                    st.execute("ROLLBACK TO SAVEPOINT unit");
                    st.execute("RELEASE SAVEPOINT unit");
                } catch (SQLException lost) { // the transaction is gone with its savepoints
                    if (isRolledBackByDatabase(e)) {
                        throw new SQLException("the database rolled back the transaction: " + e.getMessage(), "40000", e);
                    }
                    lost.addSuppressed(e);
                    throw lost;
                }
                if (!(isRolledBackByDatabase(e) && attempt < MAX_ATTEMPTS)) {
                    return new Failed(e);
                }
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        TransactionFences.forgetAll();
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt(); // stuck in a statement: closing its connection below ends it
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.warn("closing writer connection failed", e);
            }
        }
    }
}
