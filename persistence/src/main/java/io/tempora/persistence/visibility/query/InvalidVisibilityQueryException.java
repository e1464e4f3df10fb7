package io.tempora.persistence.visibility.query;

/**
 * A visibility query the official server refuses. The message is its INVALID_ARGUMENT text, {@code invalid query:}
 * prefix included, so the caller passes it on as it is.
 */
public class InvalidVisibilityQueryException extends RuntimeException {
    public InvalidVisibilityQueryException(String message) {
        super(message);
    }
}
