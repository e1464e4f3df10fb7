package io.tempora.persistence.visibility.query;

import java.math.BigInteger;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.schema.Column;

/**
 * The value of a literal token JSqlParser has delimited, read the way the official (MySQL-dialect) parser and
 * sqlquery.ParseValue read it: backslash escapes and doubled quotes decoded, double-quoted text taken as a string
 * (JSqlParser parses it as a quoted identifier), integers that do not fit int64 taken as float64.
 */
final class Literals {
    private Literals() {}

    /** A {@code "..."} the official reads as a string value, not a name. */
    static boolean isDoubleQuoted(Column column) {
        String name = column.getFullyQualifiedName();
        return column.getTable() == null && name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"");
    }

    static String string(StringValue literal) {
        return trimQuotes(decode(literal.getValue(), '\''));
    }

    static String doubleQuoted(Column column) {
        String name = column.getFullyQualifiedName();
        return trimQuotes(decode(name.substring(1, name.length() - 1), '"'));
    }

    /** int64 when it fits, else float64 as strconv.ParseFloat would give it. */
    static Object integer(LongValue literal, boolean negative) {
        String text = (negative ? "-" : "") + literal.getStringValue();
        BigInteger value = new BigInteger(text);
        if (value.bitLength() < 64) {
            return value.longValue();
        }
        return decimal(text);
    }

    static Object decimal(DoubleValue literal) {
        return decimal(literal.toString());
    }

    private static Object decimal(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw QueryErrors.unparsableValue(text);
        }
        if (Double.isInfinite(value) || Double.isNaN(value)) {
            throw QueryErrors.unparsableValue(text);
        }
        return value;
    }

    /** The MySQL escapes the official tokenizer decodes; any other escaped character stands for itself. */
    private static String decode(String raw, char quote) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                out.append(switch (next) {
                    case '0' -> '\0';
                    case 'b' -> '\b';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'Z' -> '\u001a';
                    default -> next;
                });
            } else if (c == quote && i + 1 < raw.length() && raw.charAt(i + 1) == quote) {
                out.append(quote);
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // Official quirk kept: ParseValue re-quotes the value and strings.Trim's every single quote off both ends.
    private static String trimQuotes(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) == '\'') {
            start++;
        }
        while (end > start && value.charAt(end - 1) == '\'') {
            end--;
        }
        return value.substring(start, end);
    }
}
