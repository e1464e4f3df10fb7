package io.tempora.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A partition reads its backlog a page at a time: memory holds about one page, whatever the table holds. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BacklogPagingTest {
    private static final int PAGE = 10;
    /** Tasks racing a page read may be held beyond the page; a single writer here has at most one. */
    private static final int MARGIN = 2;

    @TempDir
    Path dir;
    MatchingHarness m;

    @AfterEach
    void close() {
        if (m != null) {
            m.close();
        }
    }

    @Test
    void backlogLargerThanAPageIsHeldOnePageAtATimeAndDeliveredInOrder() {
        m = new MatchingHarness(dir, MatchingHarness.config(60_000, PAGE));
        List<String> added = addAll("orders", 0, 35);
        assertThat(m.inMemory("orders")).isBetween(0, PAGE + MARGIN);

        List<String> got = drain("orders");

        assertThat(got).containsExactlyElementsOf(added);
        assertThat(m.rows("orders")).isZero();
    }

    @Test
    void tasksAddedWhileTheBacklogIsPagedKeepTheirOrder() {
        m = new MatchingHarness(dir, MatchingHarness.config(60_000, PAGE));
        List<String> added = new ArrayList<>(addAll("orders", 0, 25));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(m.poll("orders", 1000));
        }
        added.addAll(addAll("orders", 25, 40));
        assertThat(m.inMemory("orders")).isBetween(0, PAGE + MARGIN);

        got.addAll(drain("orders"));

        assertThat(got).containsExactlyElementsOf(added);
    }

    @Test
    void backlogLeftByARestartIsReadInPages() {
        m = new MatchingHarness(dir, MatchingHarness.config(60_000, PAGE));
        List<String> added = addAll("orders", 0, 30);
        m.close();

        m = new MatchingHarness(dir, MatchingHarness.config(60_000, PAGE)); // same database file
        assertThat(m.poll("orders", 1000)).isEqualTo(added.get(0));
        assertThat(m.inMemory("orders")).isBetween(0, PAGE + MARGIN);
        List<String> got = new ArrayList<>(List.of(added.get(0)));
        got.addAll(drain("orders"));

        assertThat(got).containsExactlyElementsOf(added);
    }

    @Test
    void concurrentWritersAndPollersNeitherLoseNorDuplicateTasks() throws Exception {
        m = new MatchingHarness(dir, MatchingHarness.config(60_000, 5));
        int writers = 4;
        int perWriter = 60;
        java.util.Set<String> delivered = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.Queue<String> duplicates = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger maxInMemory = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int n = w;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perWriter; i++) {
                    m.add("orders", "wf-" + n + "-" + i);
                    maxInMemory.accumulateAndGet(m.inMemory("orders"), Math::max);
                }
            }));
        }
        // Pollers come once a backlog of several pages waits, so that pages are read while writes go on.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> m.rows("orders") >= 30);
        List<Thread> pollers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pollers.add(Thread.ofVirtual().start(() -> {
                while (writing.get() || delivered.size() < writers * perWriter) {
                    String id = m.poll("orders", 200);
                    if (id == null && !writing.get()) {
                        return;
                    }
                    if (id != null && !delivered.add(id)) {
                        duplicates.add(id);
                    }
                    maxInMemory.accumulateAndGet(m.inMemory("orders"), Math::max);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        writing.set(false);
        for (Thread t : pollers) {
            t.join();
        }

        assertThat(duplicates).isEmpty();
        assertThat(delivered).hasSize(writers * perWriter);
        assertThat(maxInMemory.get()).as("page + writes in flight + tasks given back").isLessThanOrEqualTo(5 + writers + 3);
    }

    private List<String> addAll(String queue, int from, int to) {
        List<String> added = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String id = "wf-" + i;
            m.add(queue, id);
            added.add(id);
            assertThat(m.inMemory(queue)).as("in memory after %d adds", i + 1).isBetween(0, PAGE + MARGIN);
        }
        return added;
    }

    /** Polls until the queue is empty, checking after each poll that memory holds at most a page. */
    private List<String> drain(String queue) {
        List<String> got = new ArrayList<>();
        for (String id = m.poll(queue, 300); id != null; id = m.poll(queue, 300)) {
            got.add(id);
            assertThat(m.inMemory(queue)).as("in memory after %d polls", got.size()).isBetween(0, PAGE + MARGIN);
        }
        return got;
    }
}
