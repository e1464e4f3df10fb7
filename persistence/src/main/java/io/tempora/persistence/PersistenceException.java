package io.tempora.persistence;

/** A storage failure that is not a condition failure: the caller should retry or give up. */
public class PersistenceException extends RuntimeException {
    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public PersistenceException(String message) {
        super(message);
    }
}
