package io.tempora.common;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * Cron schedules of cron workflows, in UTC: standard five-field cron strings (parsed by cron-utils), the
 * usual {@code @hourly}-style descriptors, and {@code @every <duration>} as the official server accepts.
 */
public final class CronSchedules {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private CronSchedules() {}

    /** Returns null when valid, else why not. */
    public static String validate(String schedule) {
        try {
            nextBackoffMs(schedule, System.currentTimeMillis());
            return null;
        } catch (IllegalArgumentException e) {
            return "Invalid CronSchedule: " + e.getMessage();
        }
    }

    /** Milliseconds from {@code nowMs} until the next scheduled time (strictly after now). */
    public static long nextBackoffMs(String schedule, long nowMs) {
        String s = schedule.trim();
        if (s.startsWith("@every")) {
            long every = parseDuration(s.substring("@every".length()).trim());
            return every - (nowMs % every);
        }
        Cron cron = PARSER.parse(descriptor(s)).validate();
        ZonedDateTime now = Instant.ofEpochMilli(nowMs).atZone(ZoneOffset.UTC);
        Optional<ZonedDateTime> next = ExecutionTime.forCron(cron).nextExecution(now);
        return next.map(n -> Duration.between(now, n).toMillis())
                .orElseThrow(() -> new IllegalArgumentException("schedule never fires: " + schedule));
    }

    private static String descriptor(String s) {
        return switch (s) {
            case "@yearly", "@annually" -> "0 0 1 1 *";
            case "@monthly" -> "0 0 1 * *";
            case "@weekly" -> "0 0 * * 0";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@hourly" -> "0 * * * *";
            default -> s;
        };
    }

    /** "90s", "5m", "1h30m", "250ms". */
    static long parseDuration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text);
        long total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = m.end();
        }
        if (end != text.length() || total <= 0) {
            throw new IllegalArgumentException("bad duration '" + text + "'");
        }
        return total;
    }
}
