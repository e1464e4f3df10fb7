package io.tempora.matching;

import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.MatchingTask;
import io.tempora.persistence.ConditionFailedException;
import io.tempora.persistence.TaskStore;
import io.temporal.api.enums.v1.ResourceExhaustedCause;
import io.temporal.api.errordetails.v1.ResourceExhaustedFailure;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One task queue partition (namespace, name, type): waiting pollers, sync match, query tasks and the persisted
 * backlog. A task is handed straight to a waiting poller when there is one (and counts as delivered only once the
 * poller recorded it as started); otherwise it is written to the backlog table before add returns.
 *
 * <p>A waiter is completed only under the lock, after it was taken out of {@code pollers}; a poller that gives up
 * takes itself out under the same lock, so a task reaches a poller that is still there to take it, or none.
 *
 * <p>Once unloaded (idle, or its worker shut down) the partition takes nothing more: adds report it so the engine
 * retries on a fresh partition, new polls return empty, and memory-only query tasks are dropped (their callers time
 * out and fall back to the normal queue). Persisted tasks stay in the table for the next load. Polls already waiting
 * are detached, not ended: no task can reach them any more, and their worker cancels them as it stops. Ending them
 * would make a stopping worker (which sends ShutdownWorker before it stops polling) poll its sticky queue again at
 * once, loading it anew as if the worker were alive, so that its next tasks would wait for the sticky timeout.
 */
final class TaskQueuePartition {
    /** A task on its way to a poller; {@code accepted} tells a sync-matching producer whether it got through. */
    record Delivery(long taskId, MatchingTask task, CompletableFuture<Boolean> accepted) {}

    /** A task waiting a short while for a poller (sync match wait); the poller that comes completes {@code taken}. */
    private record Offer(MatchingTask task, CompletableFuture<Delivery> taken) {}

    private static final long SYNC_MATCH_WAIT_MS = 10_000;

    private final TaskStore store;
    private final TaskStore.QueueKey key;
    private final long rangeId;
    private final int maxQueryTasks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<CompletableFuture<Delivery>> pollers = new ArrayDeque<>();
    /** Tasks waiting for a poller before they would be written; at most one per add in progress. */
    private final Deque<Offer> offers = new ArrayDeque<>();
    private final long syncMatchWaitMs;
    /** Query tasks are answered now or never: memory only, and served before the backlog since a caller waits. */
    private final Deque<Delivery> queries = new ArrayDeque<>();
    private final Backlog backlog;
    private final PollerHistory pollerHistory = new PollerHistory();
    private final RateCounter adds = new RateCounter(System::currentTimeMillis);
    private final RateCounter dispatches = new RateCounter(System::currentTimeMillis);
    /** Adds and polls in progress; guarded by the lock, as are the two fields below. */
    private int users;
    private long lastUsedMs;
    private boolean unloaded;
    private volatile long lastPollTimeMs;
    private volatile long lastPollStartMs;
    private volatile long lastPollCanceledMs;

    TaskQueuePartition(TaskStore store, TaskStore.QueueKey key, MatchingConfig config, long nowMs) {
        this.store = store;
        this.key = key;
        this.rangeId = store.lease(key);
        this.maxQueryTasks = config.maxBufferedQueryTasks();
        this.syncMatchWaitMs = config.syncMatchWaitMs();
        long maxStored = store.maxTaskId(key);
        this.backlog = new Backlog(store, key, config.getTasksBatchSize(), Math.max(maxStored + 1, rangeId << 32), maxStored);
        this.lastUsedMs = nowMs;
    }

    TaskStore.QueueKey key() {
        return key;
    }

    // ---- lifecycle (called by LoadedPartitions) --------------------------------------------------------------

    void acquire(long nowMs) {
        lock.lock();
        try {
            users++;
            lastUsedMs = nowMs;
        } finally {
            lock.unlock();
        }
    }

    void release(long nowMs) {
        lock.lock();
        try {
            users--;
            lastUsedMs = nowMs;
        } finally {
            lock.unlock();
        }
    }

    /** Unloads the partition when nobody uses it and nobody did for {@code maxIdleMs}; true if it did. */
    boolean unloadIfIdle(long nowMs, long maxIdleMs) {
        lock.lock();
        try {
            if (users > 0 || nowMs - lastUsedMs < maxIdleMs) {
                return false;
            }
            unloadLocked();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Unloads the partition now, in use or not. */
    void unload() {
        lock.lock();
        try {
            unloadLocked();
        } finally {
            lock.unlock();
        }
    }

    private void unloadLocked() {
        unloaded = true;
        queries.clear();
        offers.forEach(o -> o.taken().complete(null)); // their producers write them (and find the partition unloaded)
        offers.clear();
        pollers.clear(); // detached: they wait out their deadline or cancellation, and get nothing
    }

    // ---- liveness ----------------------------------------------------------------------------------------

    /**
     * True when a worker seems alive: a poller waits now, or one started polling recently and no poll was
     * canceled since (a worker that shuts down cancels its polls).
     */
    boolean hasLivePoller(long withinMs) {
        long start = lastPollStartMs;
        return hasWaitingPoller() || (System.currentTimeMillis() - start < withinMs && start > lastPollCanceledMs);
    }

    /** True when a poller is waiting now or polled recently (a sticky worker is alive). */
    boolean hasRecentPoller(long withinMs) {
        return hasWaitingPoller() || System.currentTimeMillis() - lastPollTimeMs < withinMs;
    }

    private boolean hasWaitingPoller() {
        lock.lock();
        try {
            return !pollers.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** A poll arrived: the worker is alive even if the poll's deadline has already passed. */
    void pollStarted() {
        lastPollTimeMs = System.currentTimeMillis();
        lastPollStartMs = lastPollTimeMs;
    }

    // ---- adding ------------------------------------------------------------------------------------------

    /**
     * Returns true once a poller took the task or it is durably in the backlog; false when the partition was
     * unloaded before the task got in (the caller adds it to the partition loaded now).
     */
    boolean add(MatchingTask task) throws InterruptedException {
        adds.add(1);
        Delivery offered = offerToPoller(task);
        if (offered == null && task.getQueryId().isEmpty() && syncMatchWaitMs > 0) {
            offered = waitForPoller(task);
        }
        if (offered != null && accepted(offered)) {
            return true;
        }
        return task.getQueryId().isEmpty() ? persist(task) : queueQuery(task);
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

    /**
     * No poller waits: wait up to {@code matching.syncMatchWaitDuration} for one, as the official matching does, since
     * a busy worker usually polls again within milliseconds and a hand-off costs no backlog write and delete. Only
     * when no task waits in the backlog, which must go first.
     */
    private Delivery waitForPoller(MatchingTask task) throws InterruptedException {
        Offer offer = new Offer(task, new CompletableFuture<>());
        lock.lock();
        try {
            if (unloaded || !backlog.isEmpty() || !queries.isEmpty()) {
                return null;
            }
            CompletableFuture<Delivery> poller = pollers.pollFirst(); // came since offerToPoller looked
            if (poller != null) {
                Delivery d = new Delivery(0, task, new CompletableFuture<>());
                poller.complete(d);
                return d;
            }
            offers.addLast(offer);
        } finally {
            lock.unlock();
        }
        var expiry = Deadlines.after(syncMatchWaitMs, () -> expire(offer));
        try {
            Delivery taken = offer.taken().get();
            return taken != null ? taken : withdraw(offer);
        } catch (ExecutionException | CancellationException e) {
            return withdraw(offer);
        } catch (InterruptedException e) {
            Delivery taken = withdraw(offer);
            if (taken != null) {
                taken.accepted().complete(false); // nobody persists it now: the caller's retry adds it again
            }
            throw e;
        } finally {
            expiry.cancel(false);
        }
    }

    /** The wait is over: an offer no poller took is answered empty (under the lock, so no poller takes it after). */
    private void expire(Offer offer) {
        lock.lock();
        try {
            if (offers.remove(offer)) {
                offer.taken().complete(null);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes a waiting offer back; if a poller took its task meanwhile, returns that delivery. */
    private Delivery withdraw(Offer offer) {
        lock.lock();
        try {
            if (offers.remove(offer)) {
                return null;
            }
        } finally {
            lock.unlock();
        }
        return offer.taken().getNow(null);
    }

    private static boolean accepted(Delivery d) throws InterruptedException {
        var expiry = Deadlines.after(SYNC_MATCH_WAIT_MS, () -> d.accepted().complete(false));
        try {
            return d.accepted().get();
        } catch (ExecutionException e) {
            return false;
        } finally {
            expiry.cancel(false);
        }
    }

    private boolean queueQuery(MatchingTask task) {
        lock.lock();
        try {
            if (unloaded) {
                return false;
            }
            CompletableFuture<Delivery> poller = pollers.pollFirst();
            if (poller != null) {
                poller.complete(new Delivery(0, task, null));
                return true;
            }
            if (queries.size() >= maxQueryTasks) {
                throw ServiceErrors.of(com.google.rpc.Code.RESOURCE_EXHAUSTED,
                        "too many queries wait for a worker on task queue " + key.name(),
                        ResourceExhaustedFailure.newBuilder()
                                .setCause(ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_SYSTEM_OVERLOADED).build());
            }
            queries.addLast(new Delivery(0, task, null));
            return true;
        } finally {
            lock.unlock();
        }
    }

    private boolean persist(MatchingTask task) {
        long taskId;
        lock.lock();
        try {
            if (unloaded) {
                return false;
            }
            taskId = backlog.allocate();
        } finally {
            lock.unlock();
        }
        try {
            store.create(key, rangeId, taskId, task);
        } catch (ConditionFailedException e) {
            notWritten(taskId); // a newer load of this queue holds the lease: add there
            return false;
        } catch (RuntimeException e) {
            notWritten(taskId);
            throw e;
        }
        lock.lock();
        try {
            if (!unloaded) { // else the row waits in the table for the next load
                backlog.written(taskId, task);
                dispatchLocked();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void notWritten(long taskId) {
        lock.lock();
        try {
            backlog.notWritten(taskId);
        } finally {
            lock.unlock();
        }
    }

    /** Hands queued tasks to waiting pollers (a task can be queued while pollers wait when its write was slow). */
    private void dispatchLocked() {
        while (!pollers.isEmpty()) {
            Delivery next = nextQueuedLocked();
            if (next == null) {
                return;
            }
            pollers.pollFirst().complete(next);
        }
    }

    private Delivery nextQueuedLocked() {
        Delivery query = queries.pollFirst();
        if (query != null) {
            return query;
        }
        Delivery stored = backlog.poll();
        if (stored != null) {
            return stored;
        }
        Offer offer = offers.pollFirst();
        if (offer == null) {
            return null;
        }
        Delivery d = new Delivery(0, offer.task(), new CompletableFuture<>());
        offer.taken().complete(d);
        return d;
    }

    // ---- polling -----------------------------------------------------------------------------------------

    /**
     * Waits until a task is available or the deadline passes (null); {@code cancel} aborts the wait (null). Whatever
     * way it ends, no waiter is left behind: a task that reached it is returned, or given back when interrupted.
     */
    Delivery poll(long deadlineMs, CompletableFuture<Void> cancel) throws InterruptedException {
        CompletableFuture<Delivery> waiter = new CompletableFuture<>();
        lock.lock();
        try {
            if (unloaded) {
                return null;
            }
            Delivery next = nextQueuedLocked();
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
        var expiry = Deadlines.after(deadlineMs - System.currentTimeMillis(), () -> withdraw(waiter));
        try {
            return waiter.get();
        } catch (ExecutionException | CancellationException e) {
            return withdraw(waiter);
        } catch (InterruptedException e) {
            Delivery reached = withdraw(waiter);
            if (reached != null) {
                giveBack(reached);
            }
            throw e;
        } finally {
            expiry.cancel(false);
            lastPollTimeMs = System.currentTimeMillis();
        }
    }

    /** Takes a waiting poller out; if a task reached it meanwhile, returns that task to the caller. */
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
        return waiter.isCancelled() ? null : waiter.getNow(null);
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
            if (unloaded) {
                return; // a persisted task waits in the table for the next load; a query's caller falls back
            }
            CompletableFuture<Delivery> poller = pollers.pollFirst();
            if (poller != null) {
                poller.complete(d);
            } else if (d.taskId() > 0) {
                backlog.giveBack(d);
            } else {
                queries.addFirst(d);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Tasks held in memory (queries and the backlog page), for tests. */
    PollerHistory pollers() {
        return pollerHistory;
    }

    /** A task reached a worker (its start was recorded). */
    void dispatched() {
        dispatches.add(1);
    }

    double addRate() {
        return adds.perSecond();
    }

    double dispatchRate() {
        return dispatches.perSecond();
    }

    int inMemory() {
        lock.lock();
        try {
            return queries.size() + backlog.inMemory();
        } finally {
            lock.unlock();
        }
    }
}
