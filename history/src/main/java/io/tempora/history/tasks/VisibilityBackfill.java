package io.tempora.history.tasks;

import io.tempora.common.proto.VisibilityTask;
import io.tempora.common.proto.VisibilityTaskType;
import io.tempora.persistence.ClusterMetadataStore;
import io.tempora.persistence.ExecutionKey;
import io.tempora.persistence.visibility.VisibilityStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the visibility records of runs that have none, which only a database from before visibility holds: once
 * per database, in the background at start, through the visibility executor (the record a task would write).
 */
public final class VisibilityBackfill {
    private static final Logger log = LoggerFactory.getLogger(VisibilityBackfill.class);
    static final String STEP = "visibility_backfill";
    private static final int PAGE = 500;

    private final ClusterMetadataStore metadata;
    private final VisibilityStore store;
    private final VisibilityTaskExecutor executor;

    public VisibilityBackfill(ClusterMetadataStore metadata, VisibilityStore store, VisibilityTaskExecutor executor) {
        this.metadata = metadata;
        this.store = store;
        this.executor = executor;
    }

    public void start() {
        if (metadata.isDone(STEP)) {
            return;
        }
        Thread.ofPlatform().daemon(true).name("tempora-visibility-backfill").start(this::run);
    }

    private void run() {
        try {
            ExecutionKey after = null;
            long written = 0;
            while (true) {
                List<ExecutionKey> runs = store.runsWithoutRecord(after, PAGE);
                if (runs.isEmpty()) {
                    break;
                }
                for (ExecutionKey run : runs) {
                    // The largest task id: no later task of the run can make this one skip.
                    executor.execute(VisibilityTask.newBuilder().setTaskId(Long.MAX_VALUE).setType(VisibilityTaskType.VISIBILITY_TASK_TYPE_UPSERT)
                            .setNamespaceId(run.namespaceId()).setWorkflowId(run.workflowId()).setRunId(run.runId()).build());
                    written++;
                }
                after = runs.getLast();
            }
            metadata.markDone(STEP);
            if (written > 0) {
                log.info("visibility records written for {} runs from before visibility", written);
            }
        } catch (RuntimeException e) {
            log.warn("visibility backfill failed; it runs again at the next start", e);
        }
    }
}
