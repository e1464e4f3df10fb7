package io.tempora.history.queues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TransferTask;
import io.tempora.persistence.HistoryTask;
import io.tempora.persistence.HistoryTask.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shard queue keeps a bounded window of its tasks in memory and reads the rest in pages; a task that keeps failing
 * is dead-lettered so later tasks and the ack level go on; the ack level never passes a task that has not run. The
 * outbox table is stood in for by a sorted map (the SQL itself is covered by the server tests).
 */
class QueueProcessorTest {
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** The outbox table of one category. */
    private final ConcurrentSkipListMap<Key, HistoryTask> table = new ConcurrentSkipListMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final Map<Key, Integer> deadLetters = new ConcurrentHashMap<>();
    private final AtomicReference<Key> inflight = new AtomicReference<>();
    private final AtomicLong clockOffset = new AtomicLong();
    private final List<QueueProcessor<?>> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(QueueProcessor::stop);
        workers.shutdownNow();
        scheduler.shutdownNow();
    }

    private long now() {
        return System.currentTimeMillis() + clockOffset.get();
    }

    /** How long a page read takes: a database under write load. */
    private volatile long readDelayMs;

    private List<HistoryTask> read(Key from, long until, int limit) {
        reads.incrementAndGet();
        if (readDelayMs > 0) {
            try {
                Thread.sleep(readDelayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<HistoryTask> out = new ArrayList<>();
        for (HistoryTask t : table.tailMap(from, true).values()) {
            if (t.fireTimeMs() >= until || out.size() == limit) {
                break;
            }
            out.add(t);
        }
        return out;
    }

    private <T extends com.google.protobuf.Message> QueueProcessor<T> queue(TaskCategory category, QueueOptions options,
                                                                           ParserFn<T> parser, TaskExecutor<T> executor) {
        QueueProcessor<T> q = new QueueProcessor<>(1, category, options, new Key(0, Long.MIN_VALUE), this::read,
                row -> {
                    try {
                        return parser.parse(row.data());
                    } catch (InvalidProtocolBufferException e) {
                        throw new IllegalStateException(e);
                    }
                },
                executor, (task, attempts, error) -> deadLetters.put(task.key(), attempts), workers, scheduler, this::now, inflight::get);
        started.add(q);
        return q;
    }

    interface ParserFn<T> {
        T parse(byte[] data) throws InvalidProtocolBufferException;
    }

    private TimerTask storeTimer(long taskId, long fireTime) {
        TimerTask t = TimerTask.newBuilder().setTaskId(taskId).setFireTimeMs(fireTime).build();
        table.put(new Key(fireTime, taskId), new HistoryTask(TaskCategory.TIMER.id(), fireTime, taskId, t.toByteArray()));
        return t;
    }

    private TransferTask storeTransfer(long taskId) {
        TransferTask t = TransferTask.newBuilder().setTaskId(taskId).build();
        table.put(new Key(0, taskId), new HistoryTask(TaskCategory.TRANSFER.id(), 0, taskId, t.toByteArray()));
        return t;
    }

    @Test
    void timersBeyondTheLookAheadStayInTheDatabaseUntilTheWindowReachesThem() {
        long start = now();
        for (int i = 1; i <= 2_000; i++) {
            storeTimer(i, start + 3_600_000 + i); // an hour away
        }
        for (int i = 1; i <= 10; i++) {
            storeTimer(10_000 + i, start + 300);
        }
        Set<Long> fired = ConcurrentHashMap.newKeySet();
        QueueProcessor<TimerTask> q = queue(TaskCategory.TIMER, new QueueOptions(100, 500, 1_000, 5, 10, 100), TimerTask::parseFrom,
                t -> fired.add(t.getTaskId()));
        q.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 10);
        assertThat(q.loadedCount()).as("timers held in memory while the far ones are an hour away").isZero();

        // A timer committed beyond the window stays in the database, and fires once the window gets there.
        TimerTask later = storeTimer(20_000, now() + 1_500);
        q.addCommitted(List.of(new QueueProcessor.Item<>(new Key(later.getFireTimeMs(), later.getTaskId()), later)));
        assertThat(q.loadedCount()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains(20_000L));

        // The clock reaches the far timers: they are read in pages, never more than the bound at once.
        AtomicInteger maxLoaded = new AtomicInteger();
        clockOffset.set(3_600_000 + 2_000 + 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            maxLoaded.accumulateAndGet(q.loadedCount(), Math::max);
            return fired.size() == 2_011;
        });
        assertThat(maxLoaded.get()).isLessThanOrEqualTo(500);
        assertThat(q.computeAckLevel().fireTimeMs()).isGreaterThan(start + 3_600_000 + 2_000);
    }

    @Test
    void timersCommittedBeyondTheLookAheadCauseNoRead() throws Exception {
        Set<Long> fired = ConcurrentHashMap.newKeySet();
        QueueProcessor<TimerTask> q = queue(TaskCategory.TIMER, new QueueOptions(100, 500, 60_000, 5, 10, 100), TimerTask::parseFrom,
                t -> fired.add(t.getTaskId()));
        q.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() > 0);
        Thread.sleep(200);
        int readsBefore = reads.get();

        // Every workflow start commits a run timeout far away (as the bench's): the window gets there in good time.
        for (int i = 1; i <= 50; i++) {
            TimerTask far = storeTimer(i, now() + 600_000);
            q.addCommitted(List.of(new QueueProcessor.Item<>(new Key(far.getFireTimeMs(), far.getTaskId()), far)));
        }
        TimerTask soon = storeTimer(100, now() + 100);
        q.addCommitted(List.of(new QueueProcessor.Item<>(new Key(soon.getFireTimeMs(), soon.getTaskId()), soon)));
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains(100L));
        Thread.sleep(300);
        assertThat(reads.get() - readsBefore).as("database reads caused by timers beyond the window").isZero();
        assertThat(fired).containsExactly(100L);
    }

    @Test
    void anImmediateBacklogIsReadInPagesAndEveryTaskRunsOnce() {
        for (int i = 1; i <= 5_000; i++) {
            storeTransfer(i);
        }
        Map<Long, Integer> runs = new ConcurrentHashMap<>();
        QueueProcessor<TransferTask> q = queue(TaskCategory.TRANSFER, new QueueOptions(50, 200, 1_000, 5, 10, 100), TransferTask::parseFrom,
                t -> runs.merge(t.getTaskId(), 1, Integer::sum));
        AtomicInteger maxLoaded = new AtomicInteger();
        q.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            maxLoaded.accumulateAndGet(q.loadedCount(), Math::max);
            return runs.size() == 5_000;
        });
        assertThat(maxLoaded.get()).isLessThanOrEqualTo(200);
        assertThat(runs.values()).allMatch(n -> n == 1);
        // Commits that arrive while the queue is caught up are handed over directly.
        TransferTask next = storeTransfer(5_001);
        int readsBefore = reads.get();
        q.addCommitted(List.of(new QueueProcessor.Item<>(new Key(0, 5_001), next)));
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.containsKey(5_001L));
        assertThat(reads.get() - readsBefore).as("database reads for a task handed over in memory").isLessThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> q.computeAckLevel().compareTo(new Key(0, 5_001)) > 0);
    }

    @Test
    void aDelayedQueueRunsEachTaskOnceAfterItsDelayAndKeepsTheAckLevelBelowIt() {
        Map<Long, Long> ranAt = new ConcurrentHashMap<>();
        QueueProcessor<TransferTask> q = queue(TaskCategory.TRANSFER, new QueueOptions(100, 1_000, 1_000, 5, 10, 100).withExecuteDelayMs(300),
                TransferTask::parseFrom, t -> ranAt.merge(t.getTaskId(), System.currentTimeMillis(), (a, b) -> -1L));
        q.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() > 0);
        List<QueueProcessor.Item<TransferTask>> items = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            items.add(new QueueProcessor.Item<>(new Key(0, i), storeTransfer(i)));
        }
        long committed = System.currentTimeMillis();
        q.addCommitted(items);
        assertThat(q.computeAckLevel()).as("ack level while the tasks wait").isLessThanOrEqualTo(new Key(0, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> ranAt.size() == 50);
        assertThat(ranAt.values()).allMatch(t -> t >= committed + 300);
        await().atMost(Duration.ofSeconds(5)).until(() -> q.computeAckLevel().compareTo(new Key(0, 50)) > 0);
    }

    @Test
    void commitsWhileTheQueueIsFullAreReadLaterNotLost() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Set<Long> ran = ConcurrentHashMap.newKeySet();
        QueueProcessor<TransferTask> q = queue(TaskCategory.TRANSFER, new QueueOptions(10, 20, 1_000, 5, 10, 100), TransferTask::parseFrom,
                t -> {
                    release.await();
                    ran.add(t.getTaskId());
                });
        q.start();
        for (int i = 1; i <= 300; i++) {
            TransferTask t = storeTransfer(i);
            q.addCommitted(List.of(new QueueProcessor.Item<>(new Key(0, i), t)));
        }
        assertThat(q.loadedCount()).isLessThanOrEqualTo(20);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> ran.size() == 300);
    }

    @Test
    void aBacklogIsWorkedOffWhileCommitsKeepArriving() throws Exception {
        Set<Long> ran = ConcurrentHashMap.newKeySet();
        QueueProcessor<TransferTask> q = queue(TaskCategory.TRANSFER, new QueueOptions(20, 50, 1_000, 5, 10, 100), TransferTask::parseFrom,
                t -> {
                    Thread.sleep(1);
                    ran.add(t.getTaskId());
                });
        for (int i = 1; i <= 500; i++) {
            storeTransfer(i); // a backlog left by a previous run
        }
        readDelayMs = 20;
        q.start();
        // Steady commits for about two seconds: the backlog must shrink meanwhile, not only once they stop.
        for (int i = 501; i <= 2_500; i++) {
            TransferTask t = storeTransfer(i);
            q.addCommitted(List.of(new QueueProcessor.Item<>(new Key(0, i), t)));
            if (i % 5 == 0) {
                Thread.sleep(5);
            }
        }
        assertThat(ran.size()).as("tasks run while commits kept arriving").isGreaterThan(1_000);
        await().atMost(Duration.ofSeconds(20)).until(() -> ran.size() == 2_500);
    }

    @Test
    void aTaskThatKeepsFailingIsDeadLetteredAndTheQueueGoesOn() {
        Set<Long> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger attemptsOfBad = new AtomicInteger();
        QueueProcessor<TransferTask> q = queue(TaskCategory.TRANSFER, new QueueOptions(100, 1_000, 1_000, 3, 10, 50), TransferTask::parseFrom,
                t -> {
                    if (t.getTaskId() == 2) {
                        attemptsOfBad.incrementAndGet();
                        throw new IllegalStateException("poison");
                    }
                    ran.add(t.getTaskId());
                });
        for (int i = 1; i <= 5; i++) {
            storeTransfer(i);
        }
        q.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.size() == 4 && deadLetters.containsKey(new Key(0, 2)));
        assertThat(attemptsOfBad.get()).isEqualTo(3);
        assertThat(deadLetters).containsEntry(new Key(0, 2), 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> q.computeAckLevel().compareTo(new Key(0, 5)) > 0);
    }

    @Test
    void theTimerAckLevelStaysBelowATimerWhoseCommitIsInFlightAndNeverMovesBack() {
        QueueProcessor<TimerTask> q = queue(TaskCategory.TIMER, QueueOptions.defaults(), TimerTask::parseFrom, t -> { });
        long dueAMinuteAgo = now() - 60_000;
        inflight.set(new Key(dueAMinuteAgo, Long.MIN_VALUE)); // a slow commit of a timer that is already due
        q.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> reads.get() > 0);
        assertThat(q.computeAckLevel().fireTimeMs()).isLessThanOrEqualTo(dueAMinuteAgo);
        inflight.set(null);
        Key level = q.computeAckLevel();
        assertThat(level.fireTimeMs()).isGreaterThan(dueAMinuteAgo).isLessThanOrEqualTo(now());

        clockOffset.set(-3_600_000); // the wall clock steps back an hour
        assertThat(q.computeAckLevel()).isEqualTo(level);
        long fire = q.earliestFireTime(now());
        assertThat(fire).as("a timer due now, after the clock stepped back").isGreaterThanOrEqualTo(level.fireTimeMs());
    }
}
