package io.tempora.history.workflow;

import io.tempora.common.ServiceErrors;

/**
 * What a request that names a run by workflow id requires of the run it reaches: that it belongs to a given
 * continue-as-new chain (first_execution_run_id), and, for a parent acting on its child (parent close policy,
 * child_workflow_only), that the run is that parent's child. Otherwise the request is NOT_FOUND, as on the official
 * server: it never acts on an unrelated workflow that happens to have the same id.
 */
public record RunTarget(String firstExecutionRunId, WorkflowKey parent) {
    public static final RunTarget ANY = new RunTarget("", null);

    public RunTarget {
        firstExecutionRunId = firstExecutionRunId == null ? "" : firstExecutionRunId;
    }

    public static RunTarget chain(String firstExecutionRunId) {
        return new RunTarget(firstExecutionRunId, null);
    }

    /** A child of {@code parent}; {@code childFirstRunId} is empty while the parent has not recorded its start. */
    public static RunTarget childOf(WorkflowKey parent, String childFirstRunId) {
        return new RunTarget(childFirstRunId, parent);
    }

    public void check(MutableState ms) {
        Workflows.checkFirstExecutionRunId(ms, firstExecutionRunId);
        if (parent != null && !(parent.workflowId().equals(ms.execution().getParentWorkflowId())
                && parent.runId().equals(ms.execution().getParentRunId()))) {
            throw ServiceErrors.notFound("Workflow parent does not match.");
        }
    }
}
