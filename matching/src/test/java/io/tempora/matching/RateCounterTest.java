package io.tempora.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Rates over a sliding 30-second window of 5-second buckets, as the official task tracker counts them. */
class RateCounterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateCounter counter = new RateCounter(now::get);

    @Test
    void aYoungCounterDividesByItsAgeAndAnOldOneByTheWindow() {
        now.addAndGet(2_000);
        counter.add(10);
        assertThat(counter.perSecond()).isCloseTo(5.0, within(0.01)); // 10 events in 2 s
        now.addAndGet(58_000); // a minute old: the 10 events fell out of the window
        counter.add(30);
        assertThat(counter.perSecond()).isCloseTo(30 * 1000.0 / 30_000, within(0.01));
    }

    @Test
    void eventsLeaveTheWindowBucketByBucket() {
        now.addAndGet(60_000);
        for (int i = 0; i < 6; i++) {
            counter.add(5);
            now.addAndGet(5_000);
        }
        double full = counter.perSecond();
        assertThat(full).isCloseTo(30 * 1000.0 / 30_000, within(0.05));
        now.addAndGet(10_000);
        assertThat(counter.perSecond()).isLessThan(full);
        now.addAndGet(60_000);
        assertThat(counter.perSecond()).isZero();
    }
}
