package io.tempora.history.workflow;

/** Identifies a workflow run. */
public record WorkflowKey(String namespaceId, String workflowId, String runId) {
    @Override
    public String toString() {
        return workflowId + "/" + runId;
    }
}
