package io.tempora.history.workflow;

/**
 * Deletes runs for good: DeleteWorkflowExecution (a running run is terminated first) and retention (closed runs
 * only). A run whose close task has not finished yet is marked and deleted once it has (its parent must learn of
 * the close and its children get their parent close policy first).
 */
public final class RunDeleter {
    private final Workflows workflows;

    public RunDeleter(Workflows workflows) {
        this.workflows = workflows;
    }

    public void delete(WorkflowKey key) {
        boolean now = workflows.update(key, ms -> {
            if (ms.isRunning()) {
                ExecutionStateMachine.terminate(ms, "Delete workflow execution", null, ServerIdentity.HISTORY_SERVICE);
            }
            return ChildStateMachine.deleteOrDefer(ms);
        });
        if (now) {
            workflows.delete(key);
        }
    }

    /** Retention is over: deletes the run unless it is running (then it is not the run that closed). */
    public void deleteClosed(WorkflowKey key) {
        Boolean now = workflows.update(key, ms -> ms.isRunning() ? Boolean.FALSE : ChildStateMachine.deleteOrDefer(ms));
        if (now) {
            workflows.delete(key);
        }
    }
}
