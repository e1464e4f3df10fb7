package io.tempora.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Context;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poll that timed out, was canceled by its caller or whose thread was interrupted leaves no waiter behind: a task
 * added afterwards goes to the next poller (or the backlog) at once, never to a poller that is gone.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AbandonedPollTest {
    /** A task handed to a poller that is gone would only come back after the sync match wait (10 s). */
    private static final long PROMPT_MS = 3_000;

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

    @Test
    void pollThatTimedOutLeavesNoWaiter() throws Exception {
        assertThat(m.poll("q", 100)).isNull();
        assertNextTaskIsPromptlyDelivered();
    }

    @Test
    void pollWhoseCallWasCanceledLeavesNoWaiter() throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        CompletableFuture<String> poll = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> call.run(() -> poll.complete(m.poll("q", 30_000))));
        await().atMost(Duration.ofSeconds(5)).until(() -> m.engine.hasWorkflowPoller(MatchingHarness.NS, "q"));

        call.cancel(null);
        assertThat(poll.get(PROMPT_MS, TimeUnit.MILLISECONDS)).as("a canceled poll returns empty").isNull();
        assertNextTaskIsPromptlyDelivered();
    }

    @Test
    void pollWhoseThreadWasInterruptedLeavesNoWaiter() throws Exception {
        Thread poller = Thread.ofVirtual().start(() -> m.poll("q", 30_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> m.engine.hasWorkflowPoller(MatchingHarness.NS, "q"));

        poller.interrupt();
        poller.join(PROMPT_MS);
        assertThat(poller.isAlive()).isFalse();
        assertNextTaskIsPromptlyDelivered();
    }

    /** Adds a task, which must not wait for a poller that is gone, then a new poller must get it. */
    private void assertNextTaskIsPromptlyDelivered() throws Exception {
        CompletableFuture<String> next = m.pollAsync("q", 20_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> m.engine.hasWorkflowPoller(MatchingHarness.NS, "q"));
        long start = System.currentTimeMillis();
        m.add("q", "wf-after");
        assertThat(next.get(PROMPT_MS, TimeUnit.MILLISECONDS)).isEqualTo("wf-after");
        assertThat(System.currentTimeMillis() - start).as("add and delivery took ms").isLessThan(PROMPT_MS);
    }

    @Test
    void pollersGivingUpWhileTasksArriveNeitherLoseNorDuplicateTasks() throws Exception {
        int tasks = 150;
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        ConcurrentLinkedQueue<String> duplicates = new ConcurrentLinkedQueue<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        List<Thread> pollers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            pollers.add(Thread.ofVirtual().start(() -> {
                while (producing.get()) {
                    String got = m.poll("q", 1 + n * 3); // deadlines of a few ms: most polls give up
                    if (got != null && !delivered.add(got)) {
                        duplicates.add(got);
                    }
                }
            }));
        }
        long start = System.currentTimeMillis();
        for (int i = 0; i < tasks; i++) {
            m.add("q", "wf-" + i);
        }
        long addMs = System.currentTimeMillis() - start;
        producing.set(false);
        for (Thread t : pollers) {
            t.join();
        }
        while (delivered.size() < tasks) {
            String got = m.poll("q", 2000);
            if (got == null) {
                break;
            }
            if (!delivered.add(got)) {
                duplicates.add(got);
            }
        }
        assertThat(duplicates).isEmpty();
        assertThat(delivered).hasSize(tasks);
        assertThat(addMs).as("no add waited on a poller that had given up").isLessThan(10_000);
    }
}
