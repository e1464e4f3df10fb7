package io.tempora.history.namespace;

import io.grpc.StatusRuntimeException;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.history.workflow.RunDeleter;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.persistence.ExecutionKey;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.NamespaceRegistry;
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
 * record, then, once its delete delay has passed, the namespace itself. The namespace's DELETED state is the durable
 * record of the work, so a restart picks it up again.
 */
public final class NamespaceReclaimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NamespaceReclaimer.class);
    /** Runs read per shard and pass. */
    private static final int PAGE = 1000;

    private final NamespaceRegistry namespaces;
    private final ExecutionStore executions;
    private final VisibilityStore visibility;
    private final RunDeleter deleter;
    private final int numShards;
    private final LongSupplier clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon(true).name("tempora-namespace-reclaimer").factory());

    public NamespaceReclaimer(NamespaceRegistry namespaces, ExecutionStore executions, VisibilityStore visibility, RunDeleter deleter,
                              int numShards, LongSupplier clock) {
        this.namespaces = namespaces;
        this.executions = executions;
        this.visibility = visibility;
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
                if (ns.getState() == NamespaceState.NAMESPACE_STATE_DELETED_VALUE) {
                    reclaim(ns);
                }
            }
        } catch (RuntimeException e) {
            log.warn("reclaiming deleted namespaces failed, trying again shortly", e);
        }
    }

    private void reclaim(NamespaceRecord ns) {
        boolean runsLeft = false;
        for (int shard = 1; shard <= numShards; shard++) {
            List<ExecutionKey> runs = executions.listInNamespace(shard, ns.getId(), PAGE);
            runsLeft |= !runs.isEmpty();
            for (ExecutionKey run : runs) {
                try {
                    deleter.delete(new WorkflowKey(run.namespaceId(), run.workflowId(), run.runId()));
                } catch (StatusRuntimeException e) {
                    log.debug("run {} of deleted namespace {} not deleted yet: {}", run.runId(), ns.getName(), e.getStatus());
                }
            }
        }
        if (runsLeft) {
            return; // deleted ones are gone; those that wait for their close task go on a later pass
        }
        visibility.deleteNamespace(ns.getId());
        if (clock.getAsLong() >= ns.getDeletedTimeMs() + ns.getDeleteDelayMs()) {
            namespaces.delete(ns.getId());
            log.info("namespace {} ({}) deleted", ns.getName(), ns.getId());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
