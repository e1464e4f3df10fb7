package io.tempora.history.queues;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.common.proto.TimerTask;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timer ack level is what recovery and trimming rely on: it must never pass a timer that has not fired. */
class TimerQueueProcessorTest {
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong clock = new AtomicLong(10_000_000);
    private final AtomicLong inflightFireTime = new AtomicLong(0);
    private TimerQueueProcessor queue;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.stop();
        }
        workers.shutdownNow();
        retries.shutdownNow();
    }

    private TimerQueueProcessor newQueue(long ackLevel) {
        queue = new TimerQueueProcessor(1, ackLevel, task -> { }, workers, retries, clock::get, inflightFireTime::get);
        return queue;
    }

    @Test
    void ackLevelStaysBelowATimerWhoseCommitIsStillInFlight() {
        TimerQueueProcessor q = newQueue(0);
        // A timer that was due a minute ago is still being committed (a slow commit): it has not fired.
        inflightFireTime.set(clock.get() - 60_000);
        assertThat(q.computeAckLevel()).isLessThanOrEqualTo(clock.get() - 60_000);
        inflightFireTime.set(0);
        assertThat(q.computeAckLevel()).isGreaterThan(clock.get() - 60_000);
    }

    @Test
    void aTimerCreatedAfterTheClockSteppedBackIsNeverBelowTheAckLevel() {
        TimerQueueProcessor q = newQueue(0);
        long level = q.computeAckLevel();
        assertThat(level).isPositive();
        clock.addAndGet(-3_600_000); // the wall clock steps back an hour
        long fire = q.earliestFireTime(clock.get());
        assertThat(fire).as("fire time of a timer due now").isGreaterThanOrEqualTo(level);
        q.addCommitted(List.of(TimerTask.newBuilder().setTaskId(1).setFireTimeMs(fire).build()));
        assertThat(q.computeAckLevel()).as("ack level with that timer pending").isLessThanOrEqualTo(fire);
    }

    @Test
    void ackLevelNeverMovesBack() {
        TimerQueueProcessor q = newQueue(0);
        long level = q.computeAckLevel();
        clock.addAndGet(-3_600_000);
        assertThat(q.computeAckLevel()).isEqualTo(level);
    }
}
