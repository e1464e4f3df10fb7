package io.tempora.history.queues;

import io.tempora.common.proto.TimerTask;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires a shard's timer tasks when they are due. Pending timers are kept in memory ordered by fire time; on
 * start the timers at or above the persisted ack level (a fire time) are reloaded.
 */
public final class TimerQueueProcessor {
    private static final Logger log = LoggerFactory.getLogger(TimerQueueProcessor.class);
    /** Timers committed slightly in the past must not fall below a persisted ack level. */
    private static final long ACK_SAFETY_MS = 10_000;

    record Key(long fireTime, long taskId) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(fireTime, o.fireTime);
            return c != 0 ? c : Long.compare(taskId, o.taskId);
        }
    }

    private final int shardId;
    private final TaskExecutor<TimerTask> executor;
    private final ExecutorService workers;
    private final ScheduledExecutorService retries;
    private final AckTracker<Key> tracker = new AckTracker<>();
    private final PriorityQueue<TimerTask> due = new PriorityQueue<>(
            Comparator.comparingLong(TimerTask::getFireTimeMs).thenComparingLong(TimerTask::getTaskId));
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private volatile long ackLevelMs;
    private volatile boolean stopped;

    private final LongSupplier clock;
    private final LongSupplier earliestInflightFireTime;

    /**
     * {@code earliestInflightFireTime}: the earliest fire time of timers whose commit is still in flight (0 for none);
     * the ack level stays at or below it, since such a timer is not in this queue yet.
     */
    public TimerQueueProcessor(int shardId, long ackLevelMs, TaskExecutor<TimerTask> executor, ExecutorService workers,
                               ScheduledExecutorService retries, LongSupplier clock, LongSupplier earliestInflightFireTime) {
        this.shardId = shardId;
        this.ackLevelMs = ackLevelMs;
        this.executor = executor;
        this.workers = workers;
        this.retries = retries;
        this.clock = clock;
        this.earliestInflightFireTime = earliestInflightFireTime;
        this.thread = Thread.ofPlatform().daemon(true).name("tempora-timers-" + shardId).start(this::loop);
    }

    /**
     * The fire time a new timer gets: never below the ack level, or recovery would skip it and trimming could delete
     * it unfired (after the wall clock stepped back, "now" can be below the level).
     */
    public long earliestFireTime(long requested) {
        return Math.max(requested, ackLevelMs);
    }

    public void addCommitted(List<TimerTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (TimerTask t : tasks) {
                tracker.add(new Key(t.getFireTimeMs(), t.getTaskId()));
                due.add(t);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!stopped) {
            TimerTask next;
            lock.lock();
            try {
                TimerTask head = due.peek();
                long now = clock.getAsLong();
                if (head == null) {
                    changed.await(1, TimeUnit.SECONDS);
                    continue;
                }
                if (head.getFireTimeMs() > now) {
                    changed.await(head.getFireTimeMs() - now, TimeUnit.MILLISECONDS);
                    continue;
                }
                next = due.poll();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            TimerTask task = next;
            workers.execute(() -> run(task, 0));
        }
    }

    private void run(TimerTask task, int attempt) {
        if (stopped) {
            return;
        }
        try {
            executor.execute(task);
            tracker.done(new Key(task.getFireTimeMs(), task.getTaskId()));
        } catch (Exception e) {
            if (stopped) {
                return;
            }
            long delay = Math.min(10_000, 100L << Math.min(attempt, 7));
            if (attempt > 3) {
                log.warn("shard {} timer task {} failed (attempt {}), retrying in {} ms", shardId, task.getTaskId(), attempt, delay, e);
            }
            retries.schedule(() -> workers.execute(() -> run(task, attempt + 1)), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Fire time below which every timer is done (persisted; recovery reloads timers at or above it). */
    public long computeAckLevel() {
        // In-flight first: a commit that completes meanwhile is in the tracker before it leaves the in-flight set.
        long inflight = earliestInflightFireTime.getAsLong();
        tracker.advance();
        Key pending = tracker.firstPending();
        long level = clock.getAsLong() - ACK_SAFETY_MS;
        if (pending != null) {
            level = Math.min(level, pending.fireTime());
        }
        if (inflight > 0) {
            level = Math.min(level, inflight);
        }
        if (level > ackLevelMs) {
            ackLevelMs = level;
        }
        return ackLevelMs;
    }

    public void stop() {
        stopped = true;
        thread.interrupt();
    }
}
