package io.tempora.history.namespace;

import io.grpc.StatusRuntimeException;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.history.workflow.RunDeleter;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.persistence.ExecutionKey;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.NamespaceRegistry;
import io.tempora.persistence.TaskStore;
import io.tempora.persistence.visibility.VisibilityStore;
import io.temporal.api.enums.v1.NamespaceState;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What OperatorService DeleteNamespace leaves to do, in the background as the official reclaim-resources workflow:
 * every run of a deleted namespace is deleted (running ones terminated first) with its history and visibility
 * record; once none is left, its task queues and remaining records go, and after its delete delay the namespace
 * itself. Only namespaces DeleteNamespace marked (deleted time set) are reclaimed: UpdateNamespace to DELETED only
 * changes the state, as on the official server. The mark is durable, so a restart picks the work up again.
 */
public final class NamespaceReclaimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NamespaceReclaimer.class);
    /** Runs read per page. */
    private static final int PAGE = 1000;
    /**
     * Runs are only taken for gone this long after the delete: a start that resolved the namespace just before it
     * (or a run a deleted run continues into) commits within it (the official workflow waits for its caches too).
     */
    static final long GRACE_MS = 2_000;

    private final NamespaceRegistry namespaces;
    private final ExecutionStore executions;
    private final VisibilityStore visibility;
    private final TaskStore tasks;
    private final RunDeleter deleter;
    private final int numShards;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("tempora-namespace-reclaimer").factory());

    public NamespaceReclaimer(NamespaceRegistry namespaces, ExecutionStore executions, VisibilityStore visibility, TaskStore tasks,
                              RunDeleter deleter, int numShards, LongSupplier clock) {
        this.namespaces = namespaces;
        this.executions = executions;
        this.visibility = visibility;
        this.tasks = tasks;
        this.deleter = deleter;
        this.numShards = numShards;
        this.clock = clock;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::pass, 1, 1, TimeUnit.SECONDS);
    }

    private void pass() {
        try {
            for (NamespaceRecord ns : namespaces.list()) {
                if (ns.getState() == NamespaceState.NAMESPACE_STATE_DELETED_VALUE && ns.getDeletedTimeMs() > 0) {
                    reclaim(ns);
                }
            }
        } catch (RuntimeException e) {
            log.warn("reclaiming deleted namespaces failed, trying again shortly", e);
        }
    }

    private void reclaim(NamespaceRecord ns) {
        long now = clock.getAsLong();
        if (deleteRuns(ns) || now < ns.getDeletedTimeMs() + GRACE_MS) {
            return; // deleted ones are gone; those waiting for their close task go on a later pass
        }
        if (ns.getReclaimedTimeMs() == 0) {
            visibility.deleteNamespace(ns.getId());
            tasks.deleteNamespace(ns.getId());
            namespaces.update(ns.getId(), current -> current.toBuilder().setReclaimedTimeMs(now).build());
            return;
        }
        if (now >= ns.getReclaimedTimeMs() + ns.getDeleteDelayMs()) {
            namespaces.delete(ns.getId());
            log.info("namespace {} ({}) deleted", ns.getName(), ns.getId());
        }
    }

    /** Deletes (or, when their close task is pending, marks) every run of the namespace; true if there were any. */
    private boolean deleteRuns(NamespaceRecord ns) {
        boolean any = false;
        for (int shard = 1; shard <= numShards; shard++) {
            ExecutionKey after = null;
            while (true) {
                List<ExecutionKey> runs = executions.listInNamespace(shard, ns.getId(), after, PAGE);
                if (runs.isEmpty()) {
                    break;
                }
                any = true;
                for (ExecutionKey run : runs) {
                    try {
                        deleter.delete(new WorkflowKey(run.namespaceId(), run.workflowId(), run.runId()));
                    } catch (StatusRuntimeException e) {
                        log.debug("run {} of deleted namespace {} not deleted yet: {}", run.runId(), ns.getName(), e.getStatus());
                    }
                }
                after = runs.getLast();
            }
        }
        return any;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
