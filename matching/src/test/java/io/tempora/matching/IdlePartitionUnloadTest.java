package io.tempora.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tempora.common.rpc.MatchingService.StickyWorkerUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A partition nobody used for {@code maxTaskQueueIdleMs} is unloaded; its persisted backlog is read again on reload. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdlePartitionUnloadTest {
    private static final long IDLE_MS = 60_000;

    @TempDir
    Path dir;
    MatchingHarness m;

    @BeforeEach
    void open() {
        m = new MatchingHarness(dir, MatchingHarness.config(IDLE_MS, 1000));
    }

    @AfterEach
    void close() {
        m.close();
    }

    /** Any use of matching may sweep idle partitions: poll another queue, which returns at once. */
    private void touchAnotherQueue() {
        m.poll("other-" + System.nanoTime(), 0);
    }

    @Test
    void idlePartitionIsUnloadedAndItsBacklogIsDeliveredAfterReload() {
        m.add("orders", "wf-1");
        m.add("orders", "wf-2");
        m.add("orders", "wf-3");
        assertThat(m.loaded("orders")).isTrue();

        m.clock.addAndGet(IDLE_MS + 1);
        touchAnotherQueue();

        assertThat(m.loaded("orders")).as("idle partition unloaded").isFalse();
        assertThat(m.rows("orders")).as("its backlog stays in the table").isEqualTo(3);
        assertThat(List.of(m.poll("orders", 1000), m.poll("orders", 1000), m.poll("orders", 1000)))
                .containsExactly("wf-1", "wf-2", "wf-3");
    }

    @Test
    void recentlyUsedPartitionStaysLoaded() {
        m.add("orders", "wf-1");
        m.clock.addAndGet(IDLE_MS / 2);
        m.add("orders", "wf-2"); // adding counts as use
        m.clock.addAndGet(IDLE_MS / 2 + 1);
        touchAnotherQueue();
        assertThat(m.loaded("orders")).isTrue();
    }

    @Test
    void partitionWithAWaitingPollerIsNeverUnloaded() throws Exception {
        CompletableFuture<String> waiting = m.pollAsync("orders", 20_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> m.engine.hasWorkflowPoller(MatchingHarness.NS, "orders"));

        m.clock.addAndGet(10 * IDLE_MS);
        touchAnotherQueue();

        assertThat(m.loaded("orders")).isTrue();
        m.add("orders", "wf-1");
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo("wf-1");
    }

    @Test
    void deadStickyQueueIsUnloadedWithItsQueuedQueries() {
        // A sticky worker polled once, then died (no ShutdownWorker): a query reached its queue and waits there.
        m.poll("sticky-dead", 10);
        assertThat(catchSticky(() -> m.addSticky("sticky-dead", MatchingHarness.query("wf-1", "q-1")))).isNull();
        assertThat(m.inMemory("sticky-dead")).isEqualTo(1);

        m.clock.addAndGet(IDLE_MS + 1);
        touchAnotherQueue();

        assertThat(m.loaded("sticky-dead")).isFalse();
        // Asking whether it has pollers, or adding to it, does not load it again.
        assertThat(m.engine.hasWorkflowPoller(MatchingHarness.NS, "sticky-dead")).isFalse();
        assertThatThrownBy(() -> m.addSticky("sticky-dead", MatchingHarness.task("wf-1")))
                .isInstanceOf(StickyWorkerUnavailableException.class);
        assertThat(m.loaded("sticky-dead")).isFalse();
    }

    @Test
    void loadedPartitionsFollowTheLiveQueuesNotEveryQueueEverUsed() {
        for (int i = 0; i < 200; i++) {
            m.add("burst-" + i, "wf-" + i);
        }
        assertThat(m.engine.loadedPartitions()).isGreaterThanOrEqualTo(200);

        m.clock.addAndGet(IDLE_MS + 1);
        touchAnotherQueue();

        assertThat(m.engine.loadedPartitions()).as("only the queue just touched").isLessThanOrEqualTo(1);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 200; i += 50) {
            got.add(m.poll("burst-" + i, 1000));
        }
        assertThat(got).containsExactly("wf-0", "wf-50", "wf-100", "wf-150");
    }

    private static Throwable catchSticky(StickyCall call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    interface StickyCall {
        void run() throws Exception;
    }
}
