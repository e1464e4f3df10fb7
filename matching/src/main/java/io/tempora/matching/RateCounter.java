package io.tempora.matching;

import java.util.function.LongSupplier;

/**
 * Events per second over the last 30 seconds, in six 5-second buckets (as the official task tracker): the rate is
 * the events in the window divided by the window's length, or by the time since counting began when that is shorter.
 */
final class RateCounter {
    private static final long BUCKET_MS = 5_000;
    private static final int BUCKETS = 6;

    private final LongSupplier clock;
    private final long startMs;
    private final long[] counts = new long[BUCKETS + 1];
    private long currentBucket;

    RateCounter(LongSupplier clock) {
        this.clock = clock;
        this.startMs = clock.getAsLong();
        this.currentBucket = startMs / BUCKET_MS;
    }

    synchronized void add(long n) {
        advance();
        counts[(int) (currentBucket % counts.length)] += n;
    }

    synchronized double perSecond() {
        advance();
        long now = clock.getAsLong();
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        long windowMs = BUCKETS * BUCKET_MS + (now - currentBucket * BUCKET_MS);
        long elapsedMs = Math.min(windowMs, now - startMs);
        return elapsedMs <= 0 ? 0 : total * 1000.0 / elapsedMs;
    }

    /** Moves to the bucket of now, clearing the buckets that fell out of the window. */
    private void advance() {
        long bucket = clock.getAsLong() / BUCKET_MS;
        for (long b = currentBucket + 1; b <= bucket && b <= currentBucket + counts.length; b++) {
            counts[(int) (b % counts.length)] = 0;
        }
        currentBucket = Math.max(currentBucket, bucket);
    }
}
