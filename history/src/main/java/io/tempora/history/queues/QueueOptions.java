package io.tempora.history.queues;

/**
 * How a shard's queue reads and retries its tasks.
 *
 * @param pageSize       tasks read from the database at a time
 * @param maxLoaded      tasks held in memory (waiting or running) before reading stops; commits beyond it stay in the database
 * @param lookAheadMs    scheduled queues: how far ahead of now timers are read into memory
 * @param maxAttempts    attempts of a failing task before it is moved to the dead-letter queue
 * @param retryInitialMs first retry delay, doubled per attempt up to {@code retryMaxMs}
 * @param executeDelayMs immediate queues: how long a loaded task waits before it runs (0: at once)
 */
public record QueueOptions(int pageSize, int maxLoaded, long lookAheadMs, int maxAttempts, long retryInitialMs, long retryMaxMs,
                           long executeDelayMs) {

    public QueueOptions(int pageSize, int maxLoaded, long lookAheadMs, int maxAttempts, long retryInitialMs, long retryMaxMs) {
        this(pageSize, maxLoaded, lookAheadMs, maxAttempts, retryInitialMs, retryMaxMs, 0);
    }

    /**
     * Defaults: 1,000-task pages (the official history.transferProcessorBatchSize / timerProcessorBatchSize are 100;
     * one local database favours larger reads), 10,000 loaded tasks per queue, five minutes of timers ahead, and
     * 70 attempts before dead-lettering as the official history.TaskDLQUnexpectedErrorAttempts.
     */
    public static QueueOptions defaults() {
        return new QueueOptions(1_000, 10_000, 5 * 60_000, 70, 100, 10_000);
    }

    /** The defaults with the configured bounds: {@code maxLoaded} tasks in memory per queue, timers read ahead. */
    public static QueueOptions of(int maxLoaded, long lookAheadMs, int maxAttempts) {
        QueueOptions d = defaults();
        return new QueueOptions(Math.min(d.pageSize(), maxLoaded), maxLoaded, lookAheadMs, maxAttempts, d.retryInitialMs(), d.retryMaxMs());
    }

    public QueueOptions withMaxAttempts(int attempts) {
        return new QueueOptions(pageSize, maxLoaded, lookAheadMs, attempts, retryInitialMs, retryMaxMs, executeDelayMs);
    }

    public QueueOptions withExecuteDelayMs(long delayMs) {
        return new QueueOptions(pageSize, maxLoaded, lookAheadMs, maxAttempts, retryInitialMs, retryMaxMs, delayMs);
    }

    long retryDelayMs(int attempt) {
        return Math.min(retryMaxMs, retryInitialMs << Math.min(attempt - 1, 20));
    }
}
