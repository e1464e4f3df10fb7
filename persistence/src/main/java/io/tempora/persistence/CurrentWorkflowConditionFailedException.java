package io.tempora.persistence;

/** Creating a run failed because the workflow id's current run is not what the caller expected. */
public class CurrentWorkflowConditionFailedException extends ConditionFailedException {
    private final CurrentExecution current;

    public CurrentWorkflowConditionFailedException(CurrentExecution current) {
        super("current workflow run is " + current.runId());
        this.current = current;
    }

    public CurrentExecution current() {
        return current;
    }
}
