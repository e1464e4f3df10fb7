package io.tempora.persistence;

/**
 * The commit itself failed (the connection broke while the database committed): the work may or may not be durable.
 * A caller that keeps state derived from its writes (a shard's queues) must read it back from the database.
 */
public class CommitOutcomeUnknownException extends PersistenceException {
    public CommitOutcomeUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
