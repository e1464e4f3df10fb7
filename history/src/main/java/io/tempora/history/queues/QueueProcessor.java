package io.tempora.history.queues;

import com.google.protobuf.Message;
import io.tempora.persistence.HistoryTask;
import io.tempora.persistence.HistoryTask.Key;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task category's queue of one history shard. Tasks are ordered by (fire time, task id); immediate categories
 * use fire time 0. The queue holds a bounded window of them in memory: tasks up to {@code readFrom} are loaded (or
 * done), later ones stay in the database and are read in pages as room frees up (and, for scheduled tasks, as the
 * look-ahead window moves on). Committed tasks are handed over in memory when they fall inside the window.
 *
 * <p>A failing task is retried with backoff while later tasks go on; after {@link QueueOptions#maxAttempts} it is
 * moved to the dead-letter queue, so the ack level (below which everything is done, persisted and trimmed) keeps
 * moving.
 */
public final class QueueProcessor<T extends Message> {
    private static final Logger log = LoggerFactory.getLogger(QueueProcessor.class);

    /** Reads the category's persisted tasks with key at or after {@code from} and fire time before {@code until}. */
    public interface TaskSource {
        List<HistoryTask> read(Key from, long untilFireTimeExclusive, int limit);
    }

    /** Parks a task that kept failing (shard-fenced); throws when it could not. */
    public interface DeadLetters {
        void park(HistoryTask task, int attempts, String lastError);
    }

    /** A committed task: its key and its body. */
    public record Item<T>(Key key, T body) {}

    private record Delayed<T>(long dueMs, Key key, T body) {}

    private final int shardId;
    private final TaskCategory category;
    private final QueueOptions options;
    private final TaskSource source;
    private final Function<HistoryTask, T> parser;
    private final TaskExecutor<T> executor;
    private final DeadLetters deadLetters;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier clock;
    private final Supplier<Key> inflight;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Loaded tasks not yet started (scheduled tasks before their fire time). */
    private final TreeMap<Key, T> waiting = new TreeMap<>();
    /** Immediate tasks loaded and waiting out {@link QueueOptions#executeDelayMs}, oldest first (also in {@link #running}). */
    private final java.util.ArrayDeque<Delayed<T>> delayed = new java.util.ArrayDeque<>();
    /** Started and not done (running, or waiting for a retry). */
    private final TreeSet<Key> running = new TreeSet<>();
    /** Every task before this key is loaded or done; from here on the database is the source. */
    private Key readFrom;
    /** Tasks at or after {@link #readFrom} may wait in the database (reading not caught up). */
    private boolean backlog = true;
    /** The smallest key of the commits left in the database while a read was in progress (null: none). */
    private Key skippedDuringRead;

    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile Key ackLevel;
    private volatile boolean stopped;
    private Thread dispatcher;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> delayTick;

    /**
     * {@code inflight}: the smallest key of this category's tasks whose commit is still in flight (null when none): the
     * ack level stays at or below it, since such a task is not in the queue yet.
     */
    public QueueProcessor(int shardId, TaskCategory category, QueueOptions options, Key ackLevel, TaskSource source,
                          Function<HistoryTask, T> parser, TaskExecutor<T> executor, DeadLetters deadLetters,
                          ExecutorService workers, ScheduledExecutorService scheduler, LongSupplier clock, Supplier<Key> inflight) {
        this.shardId = shardId;
        this.category = category;
        this.options = options;
        this.ackLevel = ackLevel;
        this.readFrom = ackLevel;
        this.source = source;
        this.parser = parser;
        this.executor = executor;
        this.deadLetters = deadLetters;
        this.workers = workers;
        this.scheduler = scheduler;
        this.clock = clock;
        this.inflight = inflight;
    }

    public TaskCategory category() {
        return category;
    }

    public void start() {
        if (category.scheduled()) {
            dispatcher = Thread.ofPlatform().daemon(true).name("tempora-" + category.name() + "-" + shardId).start(this::dispatchDue);
        }
        long tickMs = Math.max(10, Math.min(1_000, options.lookAheadMs() / 4));
        tick = scheduler.scheduleWithFixedDelay(this::maybeRead, 0, tickMs, TimeUnit.MILLISECONDS);
        if (!category.scheduled() && options.executeDelayMs() > 0) {
            long every = Math.max(5, options.executeDelayMs() / 5);
            delayTick = scheduler.scheduleWithFixedDelay(this::runDelayed, every, every, TimeUnit.MILLISECONDS);
        }
    }

    public void stop() {
        stopped = true;
        if (tick != null) {
            tick.cancel(false);
        }
        if (delayTick != null) {
            delayTick.cancel(false);
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
    }

    /**
     * The fire time a new scheduled task gets: never below the ack level, or recovery would skip it and trimming
     * could delete it before it ran (after the wall clock stepped back, "now" can be below the level).
     */
    public long earliestFireTime(long requested) {
        return Math.max(requested, ackLevel.fireTimeMs());
    }

    /** Tasks held in memory (waiting or running). */
    public int loadedCount() {
        lock.lock();
        try {
            return waiting.size() + running.size();
        } finally {
            lock.unlock();
        }
    }

    /** Hands over tasks that just became durable. */
    public void addCommitted(List<Item<T>> items) {
        if (items.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (Item<T> item : items) {
                Key key = item.key();
                boolean inWindow = key.compareTo(readFrom) < 0;
                boolean room = loadedLocked() < options.maxLoaded();
                if (inWindow && room) {
                    load(key, item.body());
                } else if (inWindow) {
                    // Full: the window shrinks to end before this task; what it held beyond is read again later.
                    readFrom = key;
                    waiting.tailMap(key, true).clear();
                    skipped(key);
                } else if (!category.scheduled() && !backlog && room) {
                    load(key, item.body());
                    readFrom = after(key);
                } else if (category.scheduled()) {
                    // A timer beyond the look-ahead (a run timeout, say) is read when the window gets near it, no
                    // sooner: marking a backlog would read the table on every such commit.
                    skippedBeyondWindow(key);
                } else {
                    skipped(key);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The ack level: every task before it is done. Never moves back. */
    public Key computeAckLevel() {
        // In-flight first: a commit that completes meanwhile is in the queue before it leaves the in-flight set.
        Key inflightKey = inflight.get();
        Key level;
        lock.lock();
        try {
            level = readFrom;
            if (!waiting.isEmpty()) {
                level = min(level, waiting.firstKey());
            }
            if (!running.isEmpty()) {
                level = min(level, running.first());
            }
        } finally {
            lock.unlock();
        }
        if (inflightKey != null) {
            level = min(level, inflightKey);
        }
        if (category.scheduled()) {
            level = min(level, new Key(clock.getAsLong(), Long.MIN_VALUE)); // new timers due now must stay above it
        }
        if (level.compareTo(ackLevel) > 0) {
            ackLevel = level;
        }
        return ackLevel;
    }

    /** A committed task stays in the database, to be read later. */
    private void skipped(Key key) {
        backlog = true;
        skippedBeyondWindow(key);
    }

    /** A read in progress may have missed the task's commit: it must not move the window past it. */
    private void skippedBeyondWindow(Key key) {
        if (skippedDuringRead == null || key.compareTo(skippedDuringRead) < 0) {
            skippedDuringRead = key;
        }
    }

    private int loadedLocked() {
        return waiting.size() + running.size();
    }

    private void load(Key key, T body) {
        if (running.contains(key) || waiting.containsKey(key)) {
            return;
        }
        if (category.scheduled()) {
            waiting.put(key, body);
            changed.signalAll();
        } else if (options.executeDelayMs() > 0) {
            running.add(key);
            delayed.addLast(new Delayed<>(clock.getAsLong() + options.executeDelayMs(), key, body));
        } else {
            running.add(key);
            workers.execute(() -> run(key, body, 1));
        }
    }

    /** Starts the delayed tasks whose wait is over (loaded in order, so they are due in order). */
    private void runDelayed() {
        List<Delayed<T>> due = new java.util.ArrayList<>();
        lock.lock();
        try {
            long now = clock.getAsLong();
            while (!delayed.isEmpty() && delayed.peekFirst().dueMs() <= now) {
                due.add(delayed.pollFirst());
            }
        } finally {
            lock.unlock();
        }
        for (Delayed<T> d : due) {
            try {
                workers.execute(() -> run(d.key(), d.body(), 1));
            } catch (RuntimeException e) { // e.g. rejected while stopping: the task stays running, the ack level below it
                log.warn("shard {} {} task {} could not be started", shardId, category.name(), d.key().taskId(), e);
            }
        }
    }

    private void dispatchDue() {
        while (!stopped) {
            Key key;
            T body;
            lock.lock();
            try {
                var first = waiting.firstEntry();
                long now = clock.getAsLong();
                if (first == null || first.getKey().fireTimeMs() > now) {
                    long wait = first == null ? 1_000 : Math.min(1_000, first.getKey().fireTimeMs() - now);
                    changed.await(wait, TimeUnit.MILLISECONDS);
                    continue;
                }
                waiting.pollFirstEntry();
                key = first.getKey();
                body = first.getValue();
                running.add(key);
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            workers.execute(() -> run(key, body, 1));
        }
    }

    private void run(Key key, T body, int attempt) {
        if (stopped) {
            return;
        }
        try {
            executor.execute(body);
            done(key);
        } catch (Exception e) {
            if (stopped) {
                return;
            }
            if (attempt >= options.maxAttempts()) {
                park(key, body, attempt, e);
                return;
            }
            long delay = options.retryDelayMs(attempt);
            if (attempt > 3) {
                log.warn("shard {} {} task {} failed (attempt {} of {}), retrying in {} ms", shardId, category.name(), key.taskId(),
                        attempt, options.maxAttempts(), delay, e);
            }
            scheduler.schedule(() -> workers.execute(() -> run(key, body, attempt + 1)), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void park(Key key, T body, int attempts, Exception error) {
        try {
            deadLetters.park(new HistoryTask(category.id(), key.fireTimeMs(), key.taskId(), body.toByteArray()), attempts, String.valueOf(error));
            log.error("shard {} {} task {} failed {} times and was moved to the dead-letter queue (`tempora dlq list`)", shardId,
                    category.name(), key.taskId(), attempts, error);
            done(key);
        } catch (RuntimeException e) {
            if (stopped) {
                return;
            }
            log.warn("shard {} could not dead-letter {} task {}, trying again later", shardId, category.name(), key.taskId(), e);
            scheduler.schedule(() -> workers.execute(() -> park(key, body, attempts, error)), options.retryMaxMs(), TimeUnit.MILLISECONDS);
        }
    }

    private void done(Key key) {
        boolean readMore;
        lock.lock();
        try {
            running.remove(key);
            readMore = backlog && loadedLocked() <= options.maxLoaded() / 2;
        } finally {
            lock.unlock();
        }
        if (readMore) {
            maybeRead();
        }
    }

    private boolean needsRead() {
        lock.lock();
        try {
            if (stopped || loadedLocked() >= options.maxLoaded()) {
                return false;
            }
            return backlog || (category.scheduled() && readFrom.fireTimeMs() < clock.getAsLong() + options.lookAheadMs() / 2);
        } finally {
            lock.unlock();
        }
    }

    private void maybeRead() {
        if (!needsRead() || !reading.compareAndSet(false, true)) {
            return;
        }
        workers.execute(() -> {
            try {
                while (needsRead()) {
                    readPage();
                }
            } catch (RuntimeException e) {
                log.warn("shard {} reading {} tasks failed, trying again shortly", shardId, category.name(), e);
            } finally {
                reading.set(false);
            }
        });
    }

    private void readPage() {
        Key from;
        int limit;
        lock.lock();
        try {
            from = readFrom;
            skippedDuringRead = null;
            limit = Math.min(options.pageSize(), options.maxLoaded() - loadedLocked());
        } finally {
            lock.unlock();
        }
        if (limit <= 0) {
            return;
        }
        long until = category.scheduled() ? clock.getAsLong() + options.lookAheadMs() : Long.MAX_VALUE;
        List<HistoryTask> rows = source.read(from, until, limit);
        boolean full = rows.size() == limit;
        Key readThrough; // every task before it is now known
        if (full) {
            readThrough = after(rows.getLast().key());
        } else if (category.scheduled()) {
            readThrough = max(from, new Key(until, Long.MIN_VALUE));
        } else {
            readThrough = rows.isEmpty() ? from : after(rows.getLast().key());
        }
        lock.lock();
        try {
            // A commit left in the database during the read may have missed its snapshot: do not go past it. (While a
            // read runs, readFrom only moves back, and only for such commits.)
            Key skipped = skippedDuringRead;
            if (skipped != null && category.scheduled() && skipped.compareTo(readThrough) >= 0) {
                skipped = null; // a timer beyond what this read covered waits for the window like any other
            }
            readFrom = skipped == null ? readThrough : min(readThrough, skipped);
            for (HistoryTask row : rows) {
                if (row.key().compareTo(readFrom) < 0) {
                    loadRow(row);
                }
            }
            backlog = full || skipped != null;
            skippedDuringRead = null;
        } finally {
            lock.unlock();
        }
    }

    private void loadRow(HistoryTask row) {
        T body;
        try {
            body = parser.apply(row);
        } catch (RuntimeException e) {
            log.error("shard {} {} task {} cannot be read: moving it to the dead-letter queue", shardId, category.name(), row.taskId(), e);
            running.add(row.key());
            workers.execute(() -> parkUnreadable(row, e));
            return;
        }
        load(row.key(), body);
    }

    private void parkUnreadable(HistoryTask row, Exception error) {
        try {
            deadLetters.park(row, 0, String.valueOf(error));
            done(row.key());
        } catch (RuntimeException e) {
            scheduler.schedule(() -> workers.execute(() -> parkUnreadable(row, error)), options.retryMaxMs(), TimeUnit.MILLISECONDS);
        }
    }

    static Key after(Key k) {
        return k.taskId() == Long.MAX_VALUE ? new Key(k.fireTimeMs() + 1, Long.MIN_VALUE) : new Key(k.fireTimeMs(), k.taskId() + 1);
    }

    private static Key min(Key a, Key b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Key max(Key a, Key b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
