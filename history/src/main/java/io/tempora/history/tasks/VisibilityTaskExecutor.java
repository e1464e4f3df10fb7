package io.tempora.history.tasks;

import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.VisibilityTask;
import io.tempora.common.proto.VisibilityTaskType;
import io.tempora.common.searchattribute.CustomSearchAttributes;
import io.tempora.history.queues.TaskExecutor;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.tempora.persistence.NamespaceRegistry;
import io.tempora.persistence.visibility.VisibilityStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes a run's visibility record from its state as it is when the task runs (so a late task never writes an older
 * state; the store's version check settles two tasks racing), or removes it once the run was deleted.
 */
public final class VisibilityTaskExecutor implements TaskExecutor<VisibilityTask> {
    /**
     * Tasks of one run take the same lock, so a write that read the run before it was deleted cannot land after the
     * removal of its record. A fixed number of stripes: memory does not grow with the runs.
     */
    private static final int STRIPES = 64;

    private final Workflows workflows;
    private final NamespaceRegistry namespaces;
    private final VisibilityStore store;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public VisibilityTaskExecutor(Workflows workflows, NamespaceRegistry namespaces, VisibilityStore store) {
        this.workflows = workflows;
        this.namespaces = namespaces;
        this.store = store;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public void execute(VisibilityTask task) {
        ReentrantLock lock = stripes[Math.floorMod(task.getRunId().hashCode(), STRIPES)];
        lock.lock();
        try {
            if (task.getType() == VisibilityTaskType.VISIBILITY_TASK_TYPE_DELETE) {
                store.delete(task.getNamespaceId(), task.getRunId());
                return;
            }
            Optional<MutableStateRecord> state = workflows.find(new WorkflowKey(task.getNamespaceId(), task.getWorkflowId(), task.getRunId()));
            if (state.isEmpty()) {
                return; // deleted meanwhile: its delete task removes the record
            }
            if (state.get().getLastVisibilityTaskId() > task.getTaskId()) {
                return; // a later committed task of the run writes the record (a short run's start and close: one write)
            }
            NamespaceRecord ns = namespaces.byId(task.getNamespaceId()).orElse(NamespaceRecord.getDefaultInstance());
            Map<String, String> columns = CustomSearchAttributes.columns(ns);
            store.upsert(VisibilityRecords.of(state.get(), columns, CustomSearchAttributes.of(ns)));
        } finally {
            lock.unlock();
        }
    }
}
