package io.tempora.history.command;

import io.temporal.api.enums.v1.WorkflowTaskFailedCause;

/**
 * A command's attributes are invalid: the workflow task fails with this cause and the caller gets INVALID_ARGUMENT.
 * A command over a size limit also terminates the run, as the official server does: retrying the task would only
 * produce the same command again.
 */
public final class BadCommandException extends RuntimeException {
    private final WorkflowTaskFailedCause cause;
    private final boolean terminatesRun;

    public BadCommandException(WorkflowTaskFailedCause cause, String message) {
        this(cause, message, false);
    }

    private BadCommandException(WorkflowTaskFailedCause cause, String message, boolean terminatesRun) {
        super(message);
        this.cause = cause;
        this.terminatesRun = terminatesRun;
    }

    public static BadCommandException sizeLimitExceeded(WorkflowTaskFailedCause cause, String message) {
        return new BadCommandException(cause, message, true);
    }

    public WorkflowTaskFailedCause failedCause() {
        return cause;
    }

    public boolean terminatesRun() {
        return terminatesRun;
    }
}
