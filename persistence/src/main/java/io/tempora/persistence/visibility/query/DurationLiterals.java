package io.tempora.persistence.visibility.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ExecutionDuration literals as the official query.ParseExecutionDurationStr reads them, in nanoseconds: an integer
 * string (nanoseconds), a Go duration ({@code "1h30m"}, {@code "-1.5h"}, {@code "300ms"}, plus {@code d} for 24h),
 * or {@code "hh:mm:ss"}.
 */
final class DurationLiterals {
    private static final Map<String, Long> UNITS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L,
            "\u03bcs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);
    // timestamp.ParseDuration turns every "<number>d" into hours before time.ParseDuration sees it.
    private static final Pattern DAYS = Pattern.compile("(\\d+(\\.\\d*)?|(\\.\\d+))d");
    // fmt.Sscanf("%d:%d:%d"): numbers may be signed and follow blanks; anything after the seconds is ignored.
    private static final Pattern HH_MM_SS =
            Pattern.compile("^[ \\t]*([+-]?\\d+):[ \\t]*([+-]?\\d+):[ \\t]*([+-]?\\d+)");
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private DurationLiterals() {}

    static OptionalLong nanos(String text) {
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            // not a bare integer
        }
        OptionalLong go = goDuration(withDaysAsHours(text));
        return go.isPresent() ? go : hhmmss(text);
    }

    private static String withDaysAsHours(String text) {
        Matcher m = DAYS.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            double days = Double.parseDouble(m.group().substring(0, m.group().length() - 1));
            m.appendReplacement(out, Matcher.quoteReplacement(String.format(Locale.ROOT, "%fh", 24 * days)));
        }
        return m.appendTail(out).toString();
    }

    /** time.ParseDuration. */
    private static OptionalLong goDuration(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return OptionalLong.of(0);
        }
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            int intEnd = i;
            int fractionEnd = i;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    i++;
                }
                fractionEnd = i;
            }
            boolean digits = intEnd > start || fractionEnd > intEnd + 1;
            if (!digits) {
                return OptionalLong.empty();
            }
            int unitStart = i;
            while (i < s.length() && s.charAt(i) != '.' && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                i++;
            }
            Long unit = UNITS.get(s.substring(unitStart, i));
            if (unit == null) {
                return OptionalLong.empty();
            }
            String number = s.substring(start, unitStart);
            if (number.startsWith(".")) {
                number = "0" + number;
            }
            if (number.endsWith(".")) {
                number = number + "0";
            }
            total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
        }
        BigInteger nanos = total.toBigInteger();
        if (nanos.compareTo(negative ? MAX.add(BigInteger.ONE) : MAX) > 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(negative ? nanos.negate().longValueExact() : nanos.longValueExact());
    }

    /** timestamp.ParseHHMMSSDuration. */
    private static OptionalLong hhmmss(String text) {
        Matcher m = HH_MM_SS.matcher(text);
        if (!m.find()) {
            return OptionalLong.empty();
        }
        try {
            long hours = Long.parseLong(m.group(1));
            long minutes = Long.parseLong(m.group(2));
            long seconds = Long.parseLong(m.group(3));
            if (hours < 0 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
                return OptionalLong.empty();
            }
            long total = Math.addExact(Math.multiplyExact(hours, 3600L), minutes * 60 + seconds);
            return OptionalLong.of(Math.multiplyExact(total, 1_000_000_000L));
        } catch (ArithmeticException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
