package io.tempora.matching;

import io.tempora.common.proto.MatchingTask;
import io.tempora.persistence.TaskStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One task queue partition (namespace, name, type): waiting pollers, sync match, and the persisted backlog.
 * A task is handed straight to a waiting poller when there is one (and counts as delivered only once the
 * poller recorded it as started); otherwise it is written to the backlog table before add returns.
 */
final class TaskQueuePartition {
    /** A task on its way to a poller; {@code accepted} tells a sync-matching producer whether it got through. */
    record Delivery(long taskId, MatchingTask task, CompletableFuture<Boolean> accepted) {}

    private static final long SYNC_MATCH_WAIT_MS = 10_000;

    private final TaskStore store;
    private final TaskStore.QueueKey key;
    private final long rangeId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<CompletableFuture<Delivery>> pollers = new ArrayDeque<>();
    private final Deque<Delivery> backlog = new ArrayDeque<>();
    private long nextTaskId;
    private volatile long lastPollTimeMs;
    private volatile long lastPollStartMs;
    private volatile long lastPollCanceledMs;

    TaskQueuePartition(TaskStore store, TaskStore.QueueKey key) {
        this.store = store;
        this.key = key;
        this.rangeId = store.lease(key);
        this.nextTaskId = Math.max(store.maxTaskId(key) + 1, rangeId << 32);
        for (TaskStore.StoredTask t : store.readAll(key)) {
            backlog.add(new Delivery(t.taskId(), t.task(), null));
        }
        this.lastPollTimeMs = 0;
    }

    TaskStore.QueueKey key() {
        return key;
    }

    /**
     * True when a worker seems alive: a poller waits now, or one started polling recently and no poll was
     * canceled since (a worker that shuts down cancels its polls).
     */
    boolean hasLivePoller(long withinMs) {
        long start = lastPollStartMs;
        return !pollers.isEmpty() || (System.currentTimeMillis() - start < withinMs && start > lastPollCanceledMs);
    }

    /** True when a poller is waiting now or polled recently (a sticky worker is alive). */
    boolean hasRecentPoller(long withinMs) {
        return !pollers.isEmpty() || System.currentTimeMillis() - lastPollTimeMs < withinMs;
    }

    /** Returns once a poller took the task or it is durably in the backlog. */
    void add(MatchingTask task) throws InterruptedException {
        Delivery offered = offerToPoller(task);
        if (offered != null && accepted(offered)) {
            return;
        }
        Delivery persisted;
        if (!task.getQueryId().isEmpty()) {
            persisted = new Delivery(0, task, null); // query tasks are answered now or never: memory only
        } else {
            long taskId;
            lock.lock();
            try {
                taskId = nextTaskId++;
            } finally {
                lock.unlock();
            }
            store.create(key, rangeId, taskId, task);
            persisted = new Delivery(taskId, task, null);
        }
        lock.lock();
        try {
            CompletableFuture<Delivery> poller = pollers.pollFirst();
            if (poller != null) {
                poller.complete(persisted);
            } else {
                backlog.addLast(persisted);
            }
        } finally {
            lock.unlock();
        }
    }

    private Delivery offerToPoller(MatchingTask task) {
        lock.lock();
        try {
            CompletableFuture<Delivery> poller = pollers.pollFirst();
            if (poller == null) {
                return null;
            }
            Delivery d = new Delivery(0, task, new CompletableFuture<>());
            poller.complete(d);
            return d;
        } finally {
            lock.unlock();
        }
    }

    private static boolean accepted(Delivery d) throws InterruptedException {
        try {
            return d.accepted().get(SYNC_MATCH_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Waits until a task is available or the deadline passes (null). {@code cancel} aborts the wait. */
    Delivery poll(long deadlineMs, CompletableFuture<Void> cancel) throws InterruptedException {
        lastPollTimeMs = System.currentTimeMillis();
        lastPollStartMs = lastPollTimeMs;
        CompletableFuture<Delivery> waiter = new CompletableFuture<>();
        lock.lock();
        try {
            Delivery next = backlog.pollFirst();
            if (next != null) {
                return next;
            }
            pollers.addLast(waiter);
        } finally {
            lock.unlock();
        }
        cancel.thenRun(() -> {
            lastPollCanceledMs = System.currentTimeMillis();
            withdraw(waiter);
        });
        try {
            return waiter.get(Math.max(0, deadlineMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
            return withdraw(waiter);
        } finally {
            lastPollTimeMs = System.currentTimeMillis();
        }
    }

    /** Removes a waiting poller; if a task reached it meanwhile, returns that task to the caller. */
    private Delivery withdraw(CompletableFuture<Delivery> waiter) {
        lock.lock();
        try {
            pollers.remove(waiter);
            if (!waiter.isDone()) {
                waiter.cancel(false);
                return null;
            }
        } finally {
            lock.unlock();
        }
        try {
            return waiter.isCancelled() ? null : waiter.getNow(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The poller finished with the task: recorded as started, or found stale. */
    void done(Delivery d) {
        if (d.accepted() != null) {
            d.accepted().complete(true);
        }
        if (d.taskId() > 0) {
            store.deleteAsync(key, d.taskId());
        }
    }

    /** The poller could not deliver the task (its call was canceled or history failed): make it available again. */
    void giveBack(Delivery d) {
        if (d.accepted() != null) {
            d.accepted().complete(false); // the producer persists it
            return;
        }
        lock.lock();
        try {
            CompletableFuture<Delivery> poller = pollers.pollFirst();
            if (poller != null) {
                poller.complete(d);
            } else {
                backlog.addFirst(d);
            }
        } finally {
            lock.unlock();
        }
    }
}
