package io.tempora.history.command;

import io.temporal.api.enums.v1.WorkflowTaskFailedCause;

/** A command's attributes are invalid: the workflow task fails with this cause and the caller gets INVALID_ARGUMENT. */
public final class BadCommandException extends RuntimeException {
    private final WorkflowTaskFailedCause cause;

    public BadCommandException(WorkflowTaskFailedCause cause, String message) {
        super(message);
        this.cause = cause;
    }

    public WorkflowTaskFailedCause failedCause() {
        return cause;
    }
}
