package io.tempora.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * matching.syncMatchWaitDuration: a task that finds no poller waiting waits that long for one before it is written
 * to the backlog, as the official matching does; a busy worker polls again within milliseconds, and the hand-off
 * saves the backlog write and delete.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncMatchWaitTest {
    private static final long WAIT_MS = 2_000;

    @TempDir
    Path dir;
    MatchingHarness m;

    @BeforeEach
    void open() {
        m = new MatchingHarness(dir, new MatchingConfig(5 * 60_000, 1000, 100, WAIT_MS));
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void aPollerThatComesWithinTheWaitGetsTheTaskWithoutABacklogWrite() throws Exception {
        assertThat(m.poll("q", 10)).isNull(); // loads the partition
        CompletableFuture<Void> add = CompletableFuture.runAsync(() -> m.add("q", "wf-1"));
        Thread.sleep(300);
        assertThat(add).as("the add waits for a poller").isNotDone();
        assertThat(m.rows("q")).as("nothing written while it waits").isZero();

        assertThat(m.poll("q", 5_000)).isEqualTo("wf-1");
        add.get(5, TimeUnit.SECONDS);
        assertThat(m.rows("q")).isZero();
    }

    @Test
    void withNoPollerTheTaskIsWrittenAfterTheWaitAndDeliveredLater() throws Exception {
        long t0 = System.nanoTime();
        m.add("q", "wf-2");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(WAIT_MS - 50));
        assertThat(m.rows("q")).isEqualTo(1);
        assertThat(m.poll("q", 5_000)).isEqualTo("wf-2");
        await().atMost(Duration.ofSeconds(5)).until(() -> m.rows("q") == 0);
    }

    @Test
    void aTaskBehindABacklogIsWrittenAtOnceToKeepTheOrder() throws Exception {
        m.add("q", "first"); // no poller: written after the wait
        long t0 = System.nanoTime();
        m.add("q", "second");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no wait behind a backlog").isLessThan(Duration.ofMillis(WAIT_MS / 2));
        assertThat(m.poll("q", 5_000)).isEqualTo("first");
        assertThat(m.poll("q", 5_000)).isEqualTo("second");
    }
}
