package io.tempora.history.queues;

/** Executes one outbox task. Must be idempotent: a task may run more than once (at-least-once delivery). */
@FunctionalInterface
public interface TaskExecutor<T> {
    /** Returns normally when done; throws to have the task retried later. */
    void execute(T task) throws Exception;
}
