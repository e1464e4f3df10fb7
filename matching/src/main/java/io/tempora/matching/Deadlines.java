package io.tempora.matching;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends matching's waits (long polls, sync-match hand-offs) at their deadlines from one platform thread, so that the
 * waiting virtual threads park without a timer of their own: the JDK arms one in its delay scheduler for every timed
 * park and, when the wait ends early as most do, cancels it with a wake-up of that scheduler's thread. Here arming a
 * deadline later than the earliest one wakes nobody, and cancelling removes it from the queue quietly (most waits
 * end early; only those that expire cost a thread start). Holds one entry per wait in progress.
 */
final class Deadlines {
    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "tempora-matching-deadlines");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private Deadlines() {}

    /**
     * Runs {@code expire} after {@code delayMs} unless the returned future is cancelled first. It runs in a virtual
     * thread of its own: it takes a partition's lock, which a backlog read may hold, and must not hold up the others.
     */
    static ScheduledFuture<?> after(long delayMs, Runnable expire) {
        return TIMER.schedule(() -> Thread.startVirtualThread(expire), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }
}
