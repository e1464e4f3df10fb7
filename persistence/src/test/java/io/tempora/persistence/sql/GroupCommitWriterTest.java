package io.tempora.persistence.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tempora.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer never leaves a caller waiting: failures of any kind answer the caller, and a full queue pushes back. */
class GroupCommitWriterTest {
    private GroupCommitWriter writer;

    @BeforeEach
    void open() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (v INTEGER)");
        }
        writer = new GroupCommitWriter(c, 4, Duration.ofMillis(200));
    }

    @AfterEach
    void close() {
        writer.close();
    }

    private CompletableFuture<Integer> insert(int v) {
        return writer.submit(c -> {
            try (Statement st = c.createStatement()) {
                return st.executeUpdate("INSERT INTO t VALUES (" + v + ")");
            }
        });
    }

    /** A unit that holds the writer (counting down {@code running} once it does) until {@code release}. */
    private CompletableFuture<Object> block(CountDownLatch running, CountDownLatch release) {
        return block(writer, running, release);
    }

    private static CompletableFuture<Object> block(GroupCommitWriter on, CountDownLatch running, CountDownLatch release) {
        return on.submit(c -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }

    private int count(Connection c) throws java.sql.SQLException {
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void aFailingUnitIsRolledBackAloneAndTheRestOfItsBatchCommits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> blocker = block(running, release);
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        // Queued behind the blocker, so that they form one batch: the middle one writes, then fails.
        CompletableFuture<Integer> first = insert(1);
        CompletableFuture<Object> failing = writer.submit(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t VALUES (2)");
            }
            throw new java.sql.SQLException("condition failed");
        });
        CompletableFuture<Integer> third = insert(3);
        release.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).hasMessageContaining("condition failed");
        assertThat(third.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        CompletableFuture<String> rows = writer.submit(c -> {
            try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery("SELECT group_concat(v) FROM (SELECT v FROM t ORDER BY v)")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(rows.get(5, TimeUnit.SECONDS)).isEqualTo("1,3");
    }

    @Test
    void workTheDatabaseRolledBackRunsAgain() throws Exception {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Integer> alone = writer.submit(c -> {
            if (runs.incrementAndGet() == 1) {
                throw new java.sql.SQLException("deadlock detected", "40P01"); // PostgreSQL: the savepoint survives
            }
            return count(c);
        });
        assertThat(alone.get(5, TimeUnit.SECONDS)).isEqualTo(0);
        assertThat(runs.get()).isEqualTo(2);

        java.util.concurrent.atomic.AtomicInteger batchRuns = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Integer> whole = writer.submit(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t VALUES (7)");
            }
            if (batchRuns.incrementAndGet() == 1) {
                c.rollback(); // as MySQL on a deadlock: the whole transaction, savepoints and all, is gone
                throw new java.sql.SQLException("Deadlock found when trying to get lock", "40001", 1213);
            }
            return count(c);
        });
        assertThat(whole.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(batchRuns.get()).isEqualTo(2);
    }

    @Test
    void aLostConnectionFailsItsBatchAndTheNextBatchReconnects() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tempora-writer", ".db");
        try {
            String url = "jdbc:sqlite:" + file;
            Connection first = DriverManager.getConnection(url);
            try (Statement st = first.createStatement()) {
                st.execute("CREATE TABLE t (v INTEGER)");
            }
            java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
            GroupCommitWriter reconnecting = new GroupCommitWriter(first, () -> {
                opened.incrementAndGet();
                return DriverManager.getConnection(url);
            });
            try {
                CompletableFuture<Object> lost = reconnecting.submit(c -> {
                    c.close(); // the server went away under this connection
                    throw new java.sql.SQLException("connection reset");
                });
                assertThatThrownBy(() -> lost.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(PersistenceException.class)
                        .hasMessageContaining("database unavailable");
                CompletableFuture<Integer> after = reconnecting.submit(c -> {
                    try (Statement st = c.createStatement()) {
                        return st.executeUpdate("INSERT INTO t VALUES (1)");
                    }
                });
                assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(opened.get()).isEqualTo(1);
            } finally {
                reconnecting.close();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void aFailedCommitTellsItsCallersTheOutcomeIsUnknown() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tempora-writer", ".db");
        try {
            String url = "jdbc:sqlite:" + file;
            GroupCommitWriter reconnecting = new GroupCommitWriter(DriverManager.getConnection(url), () -> DriverManager.getConnection(url));
            try {
                CompletableFuture<Object> unknown = reconnecting.submit(c -> {
                    c.close(); // the unit's work went through, then the connection broke before the commit
                    return "done";
                });
                assertThatThrownBy(() -> unknown.get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(io.tempora.persistence.CommitOutcomeUnknownException.class);
                assertThat(reconnecting.submit(c -> 1).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            } finally {
                reconnecting.close();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void anErrorInAUnitFailsItsCallersAndTheWriterGoesOn() throws Exception {
        CompletableFuture<Object> oom = writer.submit(c -> {
            throw new OutOfMemoryError("simulated");
        });
        assertThatThrownBy(() -> oom.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PersistenceException.class);
        assertThat(insert(1).get(5, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void aCallerWaitsForItsCommitNoLongerThanTheCommitWaitWithoutATimedWaitOfItsOwn() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (v INTEGER)");
        }
        GroupCommitWriter slow = new GroupCommitWriter(c, 4, Duration.ofMillis(200), Duration.ofSeconds(1));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        try {
            CompletableFuture<Object> stuck = block(slow, running, release);
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> queued = slow.submit(conn -> {
                try (Statement st = conn.createStatement()) {
                    return st.executeUpdate("INSERT INTO t VALUES (1)");
                }
            });
            long start = System.nanoTime();
            // An untimed wait, as TransactionRunner.await does: the writer itself ends it.
            assertThatThrownBy(() -> io.tempora.persistence.TransactionRunner.await(stuck)).isInstanceOf(PersistenceException.class)
                    .hasMessageContaining("did not commit within 1 s");
            assertThatThrownBy(() -> io.tempora.persistence.TransactionRunner.await(queued))
                    .isInstanceOf(io.tempora.persistence.CommitOutcomeUnknownException.class)
                    .hasMessageContaining("did not commit within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            // Once the writer goes on, a queued unit that was answered is not written after all.
            release.countDown();
            assertThat(io.tempora.persistence.TransactionRunner.await(slow.submit(this::count))).isZero();
        } finally {
            release.countDown();
            slow.close();
        }
    }

    @Test
    void aFullQueueRefusesWorkInsteadOfQueueingWithoutBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Object> blocker = block(running, release);
        try {
            // Once the writer has taken the blocker (and is stuck in it), the queue (4) fills, and the next submit is refused after its bounded wait.
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<?>[] queued = new CompletableFuture<?>[4];
            for (int i = 0; i < 4; i++) {
                queued[i] = insert(i);
            }
            long start = System.nanoTime();
            CompletableFuture<Integer> refused = insert(99);
            assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(PersistenceException.class)
                    .hasMessageContaining("overloaded");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            release.countDown();
            blocker.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<?> f : queued) {
                f.get(5, TimeUnit.SECONDS);
            }
        } finally {
            release.countDown();
        }
    }

    @Test
    void workSubmittedAfterCloseFailsAtOnce() {
        writer.close();
        assertThatThrownBy(() -> insert(1).get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(PersistenceException.class);
    }
}
