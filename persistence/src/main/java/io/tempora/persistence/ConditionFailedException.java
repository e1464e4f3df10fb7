package io.tempora.persistence;

/** A conditional write lost: the record changed since it was read (stale cache or concurrent writer). */
public class ConditionFailedException extends PersistenceException {
    public ConditionFailedException(String message) {
        super(message);
    }
}
