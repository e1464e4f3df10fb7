package io.tempora.persistence.visibility.query;

import io.temporal.api.enums.v1.IndexedValueType;
import java.math.BigDecimal;

/**
 * What the official messages print with Go's fmt ({@code %q}, {@code %#v}, {@code %T}), the type names its enums
 * print, and Go's idea of white space (strings.TrimSpace), so the texts and the blank checks come out the same.
 */
final class GoFormat {
    private GoFormat() {}

    /** The shorthand name Go's IndexedValueType.String() gives: Keyword, KeywordList, Int ... */
    static String typeName(IndexedValueType type) {
        return switch (type) {
            case INDEXED_VALUE_TYPE_TEXT -> "Text";
            case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
            case INDEXED_VALUE_TYPE_INT -> "Int";
            case INDEXED_VALUE_TYPE_DOUBLE -> "Double";
            case INDEXED_VALUE_TYPE_BOOL -> "Bool";
            case INDEXED_VALUE_TYPE_DATETIME -> "Datetime";
            case INDEXED_VALUE_TYPE_KEYWORD_LIST -> "KeywordList";
            case INDEXED_VALUE_TYPE_UNSPECIFIED -> "Unspecified";
            case UNRECOGNIZED -> "Unrecognized";
        };
    }

    /** %q: a double-quoted Go string literal. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 0x07 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case 0x0b -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", c));
                    } else if (Character.isISOControl(c) || !Character.isDefined(c)) {
                        out.append(c > 0xffff ? String.format("\\U%08x", c) : String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.append('"').toString();
    }

    /** %#v of a parsed literal (string, int64, float64 or bool). */
    static String goSyntax(Object value) {
        return switch (value) {
            case String s -> quote(s);
            case Double d -> formatFloat(d);
            default -> String.valueOf(value);
        };
    }

    /** %T of a parsed literal. */
    static String goType(Object value) {
        return switch (value) {
            case String s -> "string";
            case Long l -> "int64";
            case Double d -> "float64";
            case Boolean b -> "bool";
            default -> value.getClass().getSimpleName();
        };
    }

    /** %v of a float64: strconv's shortest 'g' form, exponent from 1e+06 and below 1e-04. */
    static String formatFloat(double d) {
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - exact.scale() - 1;
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = String.format("%02d", Math.abs(exponent));
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
        }
        return sign + exact.abs().toPlainString();
    }

    /** unicode.IsSpace. */
    static boolean isSpace(int c) {
        return switch (c) {
            case '\t', '\n', 0x0b, '\f', '\r', ' ', 0x85, 0xa0 -> true;
            default -> c > 0xff && Character.isSpaceChar(c);
        };
    }

    /** strings.TrimSpace. */
    static String trimSpace(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && isSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }
}
