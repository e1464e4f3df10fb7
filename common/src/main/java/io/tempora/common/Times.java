package io.tempora.common;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;

/** Conversions between protobuf time types and the epoch milliseconds we persist. */
public final class Times {
    private Times() {}

    public static long toMillis(Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
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

    public static boolean isNegative(Duration d) {
        return d.getSeconds() < 0 || d.getNanos() < 0;
    }
}
