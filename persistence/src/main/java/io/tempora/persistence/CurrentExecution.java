package io.tempora.persistence;

/** The current run of a workflow id. {@code status} is a temporal WorkflowExecutionStatus number. */
public record CurrentExecution(String runId, String createRequestId, int status) {
    public boolean running() {
        return status == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }
}
