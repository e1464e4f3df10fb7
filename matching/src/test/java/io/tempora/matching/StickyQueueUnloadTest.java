package io.tempora.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tempora.common.rpc.MatchingService.StickyWorkerUnavailableException;
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
 * ShutdownWorker unloads the worker's sticky queue and nothing else: its own polls end at once (the worker is
 * stopping), tasks meant for it go to the normal queue, and every other queue and its pollers are untouched.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StickyQueueUnloadTest {
    @TempDir
    Path dir;
    MatchingHarness m;

    @BeforeEach
    void open() {
        m = new MatchingHarness(dir, MatchingConfig.defaults());
    }

    @AfterEach
    void close() {
        m.close();
    }

    private void awaitPoller(String queue) {
        await().atMost(Duration.ofSeconds(5)).until(() -> m.engine.hasWorkflowPoller(MatchingHarness.NS, queue));
    }

    @Test
    void unloadLeavesOtherQueuesAndTheirPollersAlone() throws Exception {
        CompletableFuture<String> stickyPoll = m.pollAsync("sticky-a", 1_500);
        CompletableFuture<String> otherStickyPoll = m.pollAsync("sticky-b", 30_000);
        CompletableFuture<String> normalPoll = m.pollAsync("normal", 30_000);
        awaitPoller("sticky-a");
        awaitPoller("sticky-b");
        awaitPoller("normal");

        m.engine.unloadStickyQueue(MatchingHarness.NS, "sticky-a");

        assertThat(m.loaded("sticky-a")).isFalse();
        assertThat(m.engine.hasWorkflowPoller(MatchingHarness.NS, "sticky-a")).isFalse();
        assertThat(m.engine.hasWorkflowPoller(MatchingHarness.NS, "sticky-b")).isTrue();
        assertThat(m.engine.hasWorkflowPoller(MatchingHarness.NS, "normal")).isTrue();
        assertThatThrownBy(() -> m.addSticky("sticky-a", MatchingHarness.task("wf-sticky-a")))
                .isInstanceOf(StickyWorkerUnavailableException.class);
        m.add("normal", "wf-normal");
        m.addSticky("sticky-b", MatchingHarness.task("wf-sticky-b"));

        assertThat(normalPoll.get(3, TimeUnit.SECONDS)).isEqualTo("wf-normal");
        assertThat(otherStickyPoll.get(3, TimeUnit.SECONDS)).isEqualTo("wf-sticky-b");
        // The stopping worker's own poll gets nothing more (its worker cancels it, or it ends empty).
        assertThat(stickyPoll.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(m.engine.loadedPartitions()).as("sticky-b and normal").isEqualTo(2);
    }

    @Test
    void taskAddedToTheNormalQueueNeverReachesAPollDetachedFromTheUnloadedStickyQueue() throws Exception {
        CompletableFuture<String> stickyPoll = m.pollAsync("sticky-a", 1_500);
        awaitPoller("sticky-a");
        m.engine.unloadStickyQueue(MatchingHarness.NS, "sticky-a");

        m.add("normal", "wf-1");
        assertThat(stickyPoll.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(m.poll("normal", 1000)).isEqualTo("wf-1");
    }

    @Test
    void tasksForAnUnloadedStickyQueueAreRefusedSoTheyGoToTheNormalQueue() {
        m.poll("sticky-a", 10); // the worker polled recently
        m.engine.unloadStickyQueue(MatchingHarness.NS, "sticky-a");

        assertThatThrownBy(() -> m.addSticky("sticky-a", MatchingHarness.task("wf-1")))
                .isInstanceOf(StickyWorkerUnavailableException.class);
        assertThatThrownBy(() -> m.addSticky("sticky-a", MatchingHarness.query("wf-1", "q-1")))
                .isInstanceOf(StickyWorkerUnavailableException.class);
        assertThat(m.loaded("sticky-a")).as("refusing does not load it again").isFalse();
    }

    @Test
    void queriesQueuedOnTheStickyQueueAreDroppedWithIt() throws Exception {
        m.poll("sticky-a", 10);
        m.addSticky("sticky-a", MatchingHarness.query("wf-1", "q-1"));
        m.addSticky("sticky-a", MatchingHarness.query("wf-2", "q-2"));
        assertThat(m.inMemory("sticky-a")).isEqualTo(2);

        m.engine.unloadStickyQueue(MatchingHarness.NS, "sticky-a");

        assertThat(m.loaded("sticky-a")).isFalse();
        assertThat(m.engine.loadedPartitions()).isZero();
    }

    @Test
    void stickyWorkflowTaskInTheBacklogIsKeptInTheTable() throws Exception {
        m.poll("sticky-a", 10);
        m.addSticky("sticky-a", MatchingHarness.task("wf-1")); // no poller waits: persisted
        assertThat(m.rows("sticky-a")).isEqualTo(1);

        m.engine.unloadStickyQueue(MatchingHarness.NS, "sticky-a");

        // History times the sticky task out and schedules it on the normal queue; the row is not lost meanwhile.
        assertThat(m.rows("sticky-a")).isEqualTo(1);
        assertThat(m.poll("sticky-a", 1000)).as("a poller coming back still gets it").isEqualTo("wf-1");
    }

    @Test
    void queryCallerGoneIsSkipped() throws Exception {
        m.poll("sticky-a", 10);
        m.addSticky("sticky-a", MatchingHarness.query("wf-1", "q-gone"));
        m.addSticky("sticky-a", MatchingHarness.query("wf-2", "q-live"));
        m.abandonedQueries.add("q-gone");

        assertThat(m.poll("sticky-a", 1000)).isEqualTo("wf-2");
        assertThat(m.inMemory("sticky-a")).isZero();
    }
}
