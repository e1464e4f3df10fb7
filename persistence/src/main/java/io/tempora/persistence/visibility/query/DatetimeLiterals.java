package io.tempora.persistence.visibility.query;

import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.OptionalLong;

/**
 * Datetime literals as Go's time.Parse(time.RFC3339Nano, ...) takes them (the official's only string form):
 * {@code 2024-01-02T03:04:05Z}, with an optional fraction of up to nine digits and a Z or ±hh:mm offset.
 */
final class DatetimeLiterals {
    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .appendOffset("+HH:MM", "Z")
            .toFormatter()
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);

    private DatetimeLiterals() {}

    /** Epoch nanoseconds, or empty when the text is not RFC 3339. */
    static OptionalLong epochNanos(String text) {
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(text, RFC3339_NANO);
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
        long seconds = time.toEpochSecond();
        // Nanoseconds since 1970 end in 2262; a later (or much earlier) literal still compares as later (earlier)
        // than every stored time, which is all a filter needs of it.
        if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return OptionalLong.of(Long.MAX_VALUE);
        }
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
            return OptionalLong.of(Long.MIN_VALUE);
        }
        return OptionalLong.of(seconds * 1_000_000_000L + time.getNano());
    }
}
