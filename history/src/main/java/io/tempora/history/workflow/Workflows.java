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

    private static final class Context {
        final ReentrantLock lock = new ReentrantLock();
        MutableStateRecord record;
        /** The run's whole history (from event 1) when known and small; null otherwise. Replaced, never mutated. */
        volatile List<HistoryEvent> history;
        int historyBytes;

        void appendHistory(List<HistoryEvent> events) {
            List<HistoryEvent> current = history;
            if (current == null || events.isEmpty()) {
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
    private final Cache<WorkflowKey, Context> cache = Caffeine.newBuilder().maximumSize(50_000).build();

    public Workflows(ShardController shards, ExecutionStore store, ExecutionNotifier notifier) {
        this.shards = shards;
        this.store = store;
        this.notifier = notifier;
    }

    /** Observes every committed transition (e.g. to cache freshly written events). */
    public void onCommit(java.util.function.BiConsumer<WorkflowKey, MutableState> listener) {
        this.afterCommit = listener;
    }

    public ExecutionNotifier notifier() {
        return notifier;
    }

    public ShardContext shardFor(String namespaceId, String workflowId) {
        return shards.shardFor(namespaceId, workflowId);
    }

    /**
     * Runs {@code action} on the run's state under its lock and commits what it changed. The lock is released
     * while the commit becomes durable, so the next transition of the same run can share its fsync; the caller
     * is answered only once its own transition is durable.
     */
    public <T> T update(WorkflowKey key, Function<MutableState, T> action) {
        for (int attempt = 0; ; attempt++) {
            Context ctx = cache.get(key, k -> new Context());
            MutableState ms;
            T result;
            ShardContext.Pending pending;
            ctx.lock.lock();
            try {
                // The action works on a copy: if it throws, the cached state is untouched and nothing is written.
                ms = new MutableState(key, load(ctx, key), System.currentTimeMillis());
                ms.setStartEventSource(() -> readHistory(key, 1, 2).getFirst());
                result = action.apply(ms);
                if (!ms.hasChanges()) {
                    return result;
                }
                pending = shardFor(key.namespaceId(), key.workflowId()).commitAsync(ms, WorkflowWrite.CurrentMode.UPDATE_STATUS, null);
                ctx.record = pending.record();
                ctx.appendHistory(ms.newEvents());
            } catch (RuntimeException e) {
                throw e;
            } finally {
                ctx.lock.unlock();
            }
            try {
                ShardContext.await(pending.durable());
            } catch (ConditionFailedException e) {
                forget(ctx);
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw ServiceErrors.unavailable("workflow is busy, please retry: " + e.getMessage());
                }
                continue;
            } catch (RuntimeException e) {
                forget(ctx); // the write failed: reload from the database next time
                throw e;
            }
            notifier.changed(key);
            afterCommit.accept(key, ms);
            return result;
        }
    }

    /** Drops cached state that may not match the database (a failed or conflicting write). */
    private static void forget(Context ctx) {
        ctx.lock.lock();
        try {
            ctx.record = null;
            ctx.history = null;
        } finally {
            ctx.lock.unlock();
        }
    }

    /** Commits a new run (its first transition). Throws CurrentWorkflowConditionFailedException on a race. */
    public MutableStateRecord create(MutableState ms, WorkflowWrite.CurrentMode mode, String previousRunId) {
        WorkflowKey key = ms.key();
        Context ctx = cache.get(key, k -> new Context());
        ctx.lock.lock();
        try {
            ctx.record = shardFor(key.namespaceId(), key.workflowId()).commit(ms, mode, previousRunId);
            ctx.history = List.of();
            ctx.historyBytes = 0;
            ctx.appendHistory(ms.newEvents());
            notifier.changed(key);
            afterCommit.accept(key, ms);
            return ctx.record;
        } catch (RuntimeException e) {
            ctx.record = null;
            ctx.history = null;
            throw e;
        } finally {
            ctx.lock.unlock();
        }
    }

    /** Deletes a closed run for good (DeleteWorkflowExecution); outbox tasks still pending for it are dropped as stale. */
    public void delete(WorkflowKey key) {
        Context ctx = cache.get(key, k -> new Context());
        ctx.lock.lock();
        try {
            ShardContext shard = shardFor(key.namespaceId(), key.workflowId());
            store.delete(shard.shardId(), shard.rangeId(), key.namespaceId(), key.workflowId(), key.runId());
            ctx.record = null;
            ctx.history = null;
            cache.invalidate(key);
        } finally {
            ctx.lock.unlock();
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

    /** A consistent snapshot of the run's state. */
    public MutableStateRecord get(WorkflowKey key) {
        Context ctx = cache.get(key, k -> new Context());
        ctx.lock.lock();
        try {
            return load(ctx, key);
        } finally {
            ctx.lock.unlock();
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

    /** Events with ids in [from, toExclusive), from memory when the run's history is cached. */
    public List<HistoryEvent> readHistory(WorkflowKey key, long from, long toExclusive) {
        if (from >= toExclusive) {
            return List.of();
        }
        Context ctx = cache.getIfPresent(key);
        List<HistoryEvent> cached = ctx == null ? null : ctx.history;
        if (cached != null && from >= 1 && toExclusive - 1 <= cached.size()) {
            return cached.subList((int) (from - 1), (int) (toExclusive - 1));
        }
        return store.readHistory(shardFor(key.namespaceId(), key.workflowId()).shardId(), key.namespaceId(), key.workflowId(),
                key.runId(), from, toExclusive);
    }

    private MutableStateRecord load(Context ctx, WorkflowKey key) {
        if (ctx.record == null) {
            int shardId = shardFor(key.namespaceId(), key.workflowId()).shardId();
            ctx.record = store.get(shardId, key.namespaceId(), key.workflowId(), key.runId())
                    .orElseThrow(() -> notFound(key.workflowId(), key.runId()));
        }
        return ctx.record;
    }

    private static io.grpc.StatusRuntimeException notFound(String workflowId, String runId) {
        return ServiceErrors.notFound("workflow execution not found for workflow ID \"" + workflowId + "\" and run ID \"" + runId + "\"");
    }
}
