package io.tempora.common;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;

/** Conversions between protobuf time types and the epoch milliseconds we persist. */
public final class Times {
    private Times() {}

    /** The longest duration the official server keeps; longer ones (up to overflowing values) are capped to it. */
    public static final long MAX_DURATION_MS = 100L * 365 * 24 * 3600 * 1000;

    /** Milliseconds, capped at {@link #MAX_DURATION_MS} either way, so no later arithmetic overflows. */
    public static long toMillis(Duration d) {
        long maxSeconds = MAX_DURATION_MS / 1000;
        if (d.getSeconds() >= maxSeconds) {
            return MAX_DURATION_MS;
        }
        if (d.getSeconds() <= -maxSeconds) {
            return -MAX_DURATION_MS;
        }
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }

    /** Why a duration is invalid, in the official server's words, or empty when it is valid. */
    public static java.util.Optional<String> invalidReason(Duration d) {
        if ((d.getSeconds() > 0 && d.getNanos() < 0) || (d.getSeconds() < 0 && d.getNanos() > 0)) {
            return java.util.Optional.of("duration has seconds and nanos with different signs");
        }
        if (d.getSeconds() < 0 || d.getNanos() < 0) {
            return java.util.Optional.of("negative duration");
        }
        return java.util.Optional.empty();
    }

    public static Duration duration(long millis) {
        return Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
    }

    public static Timestamp timestamp(long epochMillis) {
        return Timestamp.newBuilder().setSeconds(epochMillis / 1000).setNanos((int) (epochMillis % 1000) * 1_000_000).build();
    }

    public static long toMillis(Timestamp t) {
        return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
    }

    /** Negative or malformed (seconds and nanos of different signs). */
    public static boolean isNegative(Duration d) {
        return invalidReason(d).isPresent();
    }
}
