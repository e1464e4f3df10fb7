package io.tempora.common.rpc;

import io.temporal.api.common.v1.WorkflowExecution;

/**
 * Who asks history to act on a workflow: a client, or another workflow (a parent applying its close policy, an
 * external signal or cancel). {@code childWorkflowOnly}: the target must be that workflow's child (else NOT_FOUND).
 */
public record Caller(String namespaceId, WorkflowExecution workflow, boolean childWorkflowOnly) {
    public static final Caller CLIENT = new Caller("", WorkflowExecution.getDefaultInstance(), false);

    public static Caller workflow(String namespaceId, String workflowId, String runId, boolean childWorkflowOnly) {
        return new Caller(namespaceId, WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build(), childWorkflowOnly);
    }
}
