package io.tempora.history.workflow;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.history.shard.ShardContext;
import io.tempora.history.shard.ShardController;
import io.tempora.persistence.ConditionFailedException;
import io.tempora.persistence.CurrentExecution;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.WorkflowWrite;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Loading, locking and persisting of workflow runs, shared by every history operation: an operation gets a
 * {@link MutableState} under the run's lock, changes it, and this commits the transition atomically.
 */
public final class Workflows {
    private static final int MAX_CONFLICT_RETRIES = 3;

    /** Histories up to this size are also kept in memory, so poll responses and results need no database read. */
    private static final int MAX_CACHED_HISTORY_BYTES = 256 * 1024;

    /**
     * An idle entry's heap cost is estimated from its serialized sizes: parsed protobuf records (maps, strings, nested
     * messages) take about twice their wire size, plus about 1.5 KB of fixed objects (record maps, lock, cache node).
     * Measured on the one-activity and timer workloads with a heap histogram.
     */
    private static final int ENTRY_OVERHEAD_BYTES = 1536;
    private static final int PARSED_TO_SERIALIZED = 2;

    /**
     * One run's cached state. Transitions build on {@link #latest}, which may include commits still in flight
     * (pipelining); readers see only {@link #durable} state and history, published when a commit is durable.
     */
    private static final class Context {
        final ReentrantLock lock = new ReentrantLock();
        /** Guarded by {@link #lock}: the newest state, possibly not durable yet; null when not loaded. */
        MutableStateRecord latest;
        /** Guarded by {@link #lock}: the last commit submitted (completes after its durable state is published). */
        CompletableFuture<Void> lastCommit = CompletableFuture.completedFuture(null);
        /** Set when a commit failed: the next transition reloads from the database. */
        volatile boolean stale;

        /** Guarded by this: the newest durable state, and its whole history when known and small. */
        private MutableStateRecord durable;
        private List<HistoryEvent> history;
        private int historyBytes;

        /** Changed only inside {@code active.compute} for this run's key. */
        int users;
        int pendingCommits;

        synchronized MutableStateRecord durable() {
            return durable;
        }

        synchronized List<HistoryEvent> history() {
            return history;
        }

        /** A newly created run: its state and its complete history. */
        synchronized void created(MutableStateRecord record, List<HistoryEvent> events) {
            durable = record;
            history = List.of();
            historyBytes = 0;
            appendHistory(events);
        }

        /** A state read from the database or committed; an older version than the one known changes nothing. */
        synchronized MutableStateRecord publish(MutableStateRecord record, List<HistoryEvent> events) {
            if (durable != null && record.getDbVersion() <= durable.getDbVersion()) {
                return durable;
            }
            boolean follows = durable != null && record.getDbVersion() == durable.getDbVersion() + 1;
            durable = record;
            if (follows && events != null) {
                appendHistory(events);
            } else {
                history = null;
            }
            return durable;
        }

        synchronized void clear() {
            durable = null;
            history = null;
        }

        synchronized int weight() {
            long bytes = ENTRY_OVERHEAD_BYTES
                    + (long) PARSED_TO_SERIALIZED * ((durable == null ? 0 : durable.getSerializedSize()) + (history == null ? 0 : historyBytes));
            return (int) Math.min(Integer.MAX_VALUE, bytes);
        }

        private void appendHistory(List<HistoryEvent> events) {
            List<HistoryEvent> current = history;
            if (current == null || events.isEmpty()) {
                return;
            }
            if (events.getFirst().getEventId() != current.size() + 1) {
                history = null; // not contiguous with what is cached
                return;
            }
            int bytes = historyBytes;
            for (HistoryEvent e : events) {
                bytes += e.getSerializedSize();
            }
            if (bytes > MAX_CACHED_HISTORY_BYTES) {
                history = null;
                return;
            }
            List<HistoryEvent> next = new ArrayList<>(current.size() + events.size());
            next.addAll(current);
            next.addAll(events);
            history = List.copyOf(next);
            historyBytes = bytes;
        }
    }

    private final ShardController shards;
    private final ExecutionStore store;
    private final ExecutionNotifier notifier;
    private java.util.function.BiConsumer<WorkflowKey, MutableState> afterCommit = (k, ms) -> { };
    private java.util.function.Consumer<MutableState> beforeCommit = ms -> { };
    /**
     * Runs in use (a caller holds or waits for the lock, or a commit is in flight): never evicted, so a run has
     * one live copy. Bounded by the requests and commits in flight, not by the number of runs.
     */
    private final ConcurrentHashMap<WorkflowKey, Context> active = new ConcurrentHashMap<>();
    /** Runs not in use, kept for their next access within a byte budget. */
    private final Cache<WorkflowKey, Context> idle;
    private final long cacheMaxBytes;

    private final HistoryLimitGuard historyLimits;

    public Workflows(ShardController shards, ExecutionStore store, ExecutionNotifier notifier, long cacheMaxBytes) {
        this(shards, store, notifier, cacheMaxBytes, io.tempora.common.Limits.History.defaults());
    }

    /**
     * {@code cacheMaxBytes} bounds the states and histories kept for runs that are not in use; {@code history} the
     * size and length of a running run's history.
     */
    public Workflows(ShardController shards, ExecutionStore store, ExecutionNotifier notifier, long cacheMaxBytes,
                     io.tempora.common.Limits.History history) {
        this.historyLimits = new HistoryLimitGuard(history);
        this.shards = shards;
        this.store = store;
        this.notifier = notifier;
        this.cacheMaxBytes = cacheMaxBytes;
        // Eviction work runs on the calling thread: a hand-off to the common pool per write costs a wake-up each.
        this.idle = Caffeine.newBuilder().executor(Runnable::run).maximumWeight(cacheMaxBytes).weigher((WorkflowKey k, Context c) -> c.weight()).build();
    }

    public long cacheMaxBytes() {
        return cacheMaxBytes;
    }

    /** Idle runs cached now, and their estimated heap cost. */
    public long cachedRuns() {
        return idle.estimatedSize();
    }

    public long cachedRunBytes() {
        return idle.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
    }

    /**
     * Called with every transition (of an existing or a new run) just before it goes to the writer; it may add tasks,
     * or refuse a new run by throwing. One listener: a second call replaces the first.
     */
    public void beforeCommit(java.util.function.Consumer<MutableState> listener) {
        this.beforeCommit = listener;
    }

    /** Observes every committed transition (e.g. to cache freshly written events). One listener, as above. */
    public void onCommit(java.util.function.BiConsumer<WorkflowKey, MutableState> listener) {
        this.afterCommit = listener;
    }

    public ExecutionNotifier notifier() {
        return notifier;
    }

    public ShardContext shardFor(String namespaceId, String workflowId) {
        return shards.shardFor(namespaceId, workflowId);
    }

    private Context acquire(WorkflowKey key) {
        return active.compute(key, (k, ctx) -> {
            Context c = ctx;
            if (c == null) {
                c = idle.asMap().remove(k);
                if (c == null) {
                    c = new Context();
                }
            }
            c.users++;
            return c;
        });
    }

    private void release(WorkflowKey key, boolean endsUse, boolean endsCommit) {
        active.computeIfPresent(key, (k, c) -> {
            if (endsUse) {
                c.users--;
            }
            if (endsCommit) {
                c.pendingCommits--;
            }
            if (c.users > 0 || c.pendingCommits > 0) {
                return c;
            }
            if (c.durable() != null && !c.stale) {
                idle.put(k, c);
            }
            return null;
        });
    }

    private void commitStarted(WorkflowKey key) {
        active.computeIfPresent(key, (k, c) -> {
            c.pendingCommits++;
            return c;
        });
    }

    /**
     * Runs {@code action} on the run's state under its lock and commits what it changed. The lock is released
     * while the commit becomes durable, so the next transition of the same run can share its fsync; the caller
     * is answered only once its own transition is durable. An action that changes nothing still waits for the
     * commits it read from: what it decided must not rest on a transition that may yet fail.
     */
    public <T> T update(WorkflowKey key, Function<MutableState, T> action) {
        for (int attempt = 0; ; attempt++) {
            Context ctx = acquire(key);
            MutableState ms;
            T result;
            CompletableFuture<Void> wait;
            String overLimit;
            try {
                ctx.lock.lock();
                try {
                    // The action works on a copy: if it throws, the cached state is untouched and nothing is written.
                    ms = copy(ctx, key);
                    result = action.apply(ms);
                    overLimit = historyLimits.exceeded(ms);
                    if (overLimit != null) {
                        // As the official server: the transition is dropped and the run terminated instead.
                        ms = copy(ctx, key);
                        ExecutionStateMachine.terminate(ms, overLimit, null, ServerIdentity.HISTORY_SERVICE);
                    }
                    wait = ms.hasChanges() ? submit(key, ctx, ms) : ctx.lastCommit;
                } finally {
                    ctx.lock.unlock();
                }
            } finally {
                release(key, true, false);
            }
            try {
                ShardContext.await(wait);
            } catch (ConditionFailedException e) {
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw ServiceErrors.unavailable("workflow is busy, please retry: " + e.getMessage());
                }
                continue;
            } catch (RuntimeException e) {
                if (!ms.hasChanges() && attempt < MAX_CONFLICT_RETRIES) {
                    continue; // a transition this read from failed: read again
                }
                throw e;
            }
            if (ms.hasChanges()) {
                afterCommit.accept(key, ms);
            }
            if (overLimit != null) {
                throw ServiceErrors.invalidArgument(overLimit);
            }
            return result;
        }
    }

    private MutableState copy(Context ctx, WorkflowKey key) {
        MutableState ms = new MutableState(key, latest(ctx, key), System.currentTimeMillis());
        ms.setStartEventSource(() -> readHistory(key, 1, 2).getFirst());
        return ms;
    }

    /** Whether WorkflowTaskStarted should suggest continue-as-new to this run (history size or length). */
    public boolean suggestContinueAsNew(MutableState ms) {
        return historyLimits.suggestContinueAsNew(ms);
    }

    /** Hands the transition to the writer; the returned future completes once it is durable and visible. */
    private CompletableFuture<Void> submit(WorkflowKey key, Context ctx, MutableState ms) {
        beforeCommit.accept(ms);
        List<HistoryEvent> events = List.copyOf(ms.newEvents());
        commitStarted(key);
        ShardContext.Pending pending;
        try {
            // Published before the transition's tasks reach the queues: their executors read this state.
            pending = shardFor(key.namespaceId(), key.workflowId())
                    .commitAsync(ms, WorkflowWrite.CurrentMode.UPDATE_STATUS, null, record -> ctx.publish(record, events));
        } catch (RuntimeException e) {
            release(key, false, true);
            throw e;
        }
        ctx.latest = pending.record();
        CompletableFuture<Void> visible = pending.durable().whenComplete((ok, failure) -> {
            if (failure != null) {
                ctx.stale = true;
            }
            release(key, false, true);
            if (failure == null) {
                notifier.changed(key);
            }
        });
        ctx.lastCommit = visible;
        return visible;
    }

    /** The state a transition builds on: the newest, including commits in flight. Called under the lock. */
    private MutableStateRecord latest(Context ctx, WorkflowKey key) {
        if (ctx.stale) {
            ctx.stale = false;
            ctx.latest = null;
            ctx.lastCommit = CompletableFuture.completedFuture(null); // what follows reads the database
            ctx.clear();
        }
        if (ctx.latest == null) {
            MutableStateRecord durable = ctx.durable();
            ctx.latest = durable != null ? durable : loadDurable(ctx, key);
        }
        return ctx.latest;
    }

    private MutableStateRecord loadDurable(Context ctx, WorkflowKey key) {
        int shardId = shardFor(key.namespaceId(), key.workflowId()).shardId();
        MutableStateRecord loaded = store.get(shardId, key.namespaceId(), key.workflowId(), key.runId())
                .orElseThrow(() -> notFound(key.workflowId(), key.runId()));
        return ctx.publish(loaded, null);
    }

    /** Commits a new run (its first transition). Throws CurrentWorkflowConditionFailedException on a race. */
    public MutableStateRecord create(MutableState ms, WorkflowWrite.CurrentMode mode, String previousRunId) {
        WorkflowKey key = ms.key();
        Context ctx = acquire(key);
        try {
            ctx.lock.lock();
            try {
                beforeCommit.accept(ms);
                List<HistoryEvent> events = List.copyOf(ms.newEvents());
                ShardContext.Pending pending = shardFor(key.namespaceId(), key.workflowId())
                        .commitAsync(ms, mode, previousRunId, record -> ctx.created(record, events));
                ShardContext.await(pending.durable());
                MutableStateRecord record = pending.record();
                ctx.latest = record;
                ctx.stale = false;
                notifier.changed(key);
                afterCommit.accept(key, ms);
                return record;
            } catch (RuntimeException e) {
                ctx.latest = null;
                ctx.clear();
                throw e;
            } finally {
                ctx.lock.unlock();
            }
        } finally {
            release(key, true, false);
        }
    }

    /** Deletes a closed run for good (DeleteWorkflowExecution); outbox tasks still pending for it are dropped as stale. */
    public void delete(WorkflowKey key) {
        Context ctx = acquire(key);
        try {
            ctx.lock.lock();
            try {
                ShardContext shard = shardFor(key.namespaceId(), key.workflowId());
                shard.deleteRun(key.namespaceId(), key.workflowId(), key.runId());
                ctx.latest = null;
                ctx.clear();
            } finally {
                ctx.lock.unlock();
            }
        } finally {
            release(key, true, false);
        }
        notifier.changed(key);
    }

    /**
     * Long-polls the run's state until {@code done} holds or {@code untilMs} passes; returns the latest state
     * either way. The watch is registered before each check, so no change can slip by unseen.
     */
    public MutableStateRecord awaitState(WorkflowKey key, java.util.function.Predicate<MutableStateRecord> done, long untilMs) {
        while (true) {
            java.util.concurrent.CompletableFuture<Void> change = notifier.watch(key);
            try {
                MutableStateRecord state = get(key);
                long wait = untilMs - System.currentTimeMillis();
                if (done.test(state) || wait <= 0) {
                    return state;
                }
                change.get(wait, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // check again; the deadline ends the loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ServiceErrors.unavailable("interrupted");
            } finally {
                notifier.unwatch(key, change);
            }
        }
    }

    /** The run's newest durable state (a transition still being committed is not visible). */
    public MutableStateRecord get(WorkflowKey key) {
        Context ctx = acquire(key);
        try {
            MutableStateRecord durable = ctx.durable();
            return durable != null && !ctx.stale ? durable : loadDurable(ctx, key);
        } finally {
            release(key, true, false);
        }
    }

    public Optional<MutableStateRecord> find(WorkflowKey key) {
        try {
            return Optional.of(get(key));
        } catch (io.grpc.StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A request that names a continue-as-new chain by its first run (first_execution_run_id) targets the chain's
     * current run; any other run is NOT_FOUND, as the official server answers.
     */
    public static void checkFirstExecutionRunId(MutableState ms, String firstExecutionRunId) {
        if (!firstExecutionRunId.isEmpty() && !firstExecutionRunId.equals(ms.execution().getFirstExecutionRunId())) {
            throw ServiceErrors.notFound("workflow execution not found");
        }
    }

    /** Resolves an empty run id to the workflow id's current run. */
    public WorkflowKey resolve(String namespaceId, String workflowId, String runId) {
        if (runId != null && !runId.isEmpty()) {
            return new WorkflowKey(namespaceId, workflowId, runId);
        }
        return current(namespaceId, workflowId)
                .map(c -> new WorkflowKey(namespaceId, workflowId, c.runId()))
                .orElseThrow(() -> notFound(workflowId, ""));
    }

    public Optional<CurrentExecution> current(String namespaceId, String workflowId) {
        return store.getCurrent(shardFor(namespaceId, workflowId).shardId(), namespaceId, workflowId);
    }

    /** Durable events with ids in [from, toExclusive), from memory when the run's history is cached. */
    public List<HistoryEvent> readHistory(WorkflowKey key, long from, long toExclusive) {
        if (from >= toExclusive) {
            return List.of();
        }
        Context ctx = active.get(key);
        if (ctx == null) {
            ctx = idle.getIfPresent(key);
        }
        List<HistoryEvent> cached = ctx == null ? null : ctx.history();
        if (cached != null && from >= 1 && toExclusive - 1 <= cached.size()) {
            return cached.subList((int) (from - 1), (int) (toExclusive - 1));
        }
        return store.readHistory(shardFor(key.namespaceId(), key.workflowId()).shardId(), key.namespaceId(), key.workflowId(),
                key.runId(), from, toExclusive);
    }

    private static io.grpc.StatusRuntimeException notFound(String workflowId, String runId) {
        return ServiceErrors.notFound("workflow execution not found for workflow ID \"" + workflowId + "\" and run ID \"" + runId + "\"");
    }
}
