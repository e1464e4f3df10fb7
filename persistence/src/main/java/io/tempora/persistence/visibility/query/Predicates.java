package io.tempora.persistence.visibility.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The SQL of one condition on one column. Only the column (a checked identifier) and fixed text go into the SQL;
 * every value the user wrote is a bound parameter.
 */
final class Predicates {
    private static final Map<String, String> SQL_OPERATORS = Map.of(
            "=", "=", "!=", "!=", "<", "<", ">", ">", "<=", "<=", ">=", ">=", "in", "IN", "not in", "NOT IN");

    private Predicates() {}

    /** {@code column op ?} or {@code column [NOT] IN (?, ...)}. */
    static SqlFragment compare(String column, String operator, Object value) {
        if (Operators.isList(operator)) {
            List<?> values = (List<?>) value;
            List<Object> params = new ArrayList<>(values.size());
            values.forEach(v -> params.add(bind(v)));
            return SqlFragment.of(column + " " + SQL_OPERATORS.get(operator) + " (" + placeholders(values.size()) + ")",
                    params);
        }
        return SqlFragment.of(column + " " + SQL_OPERATORS.get(operator) + " ?", List.of(bind(value)));
    }

    static SqlFragment startsWith(String column, boolean negated, String prefix) {
        return SqlFragment.of(column + (negated ? " NOT GLOB ?" : " GLOB ?"), List.of(GlobPattern.startingWith(prefix)));
    }

    /**
     * A KeywordList holds a JSON array: {@code =} and {@code IN} match a row whose list has (any of) the values,
     * {@code !=} and {@code NOT IN} one whose list has none of them, an unset list included (the official SQLite
     * store's {@code rowid NOT IN} does the same).
     */
    static SqlFragment keywordList(String column, String operator, List<Object> values) {
        boolean negated = operator.equals("!=") || operator.equals("not in");
        String exists = "EXISTS (SELECT 1 FROM json_each(" + column + ") WHERE value IN ("
                + placeholders(values.size()) + "))";
        return SqlFragment.of(negated ? "NOT " + exists : exists, values);
    }

    /**
     * Text is matched by words through the FTS5 index: {@code =} matches a row with any of the tokens,
     * {@code !=} one with none of them (an unset text included), as the official SQLite store.
     */
    static SqlFragment text(String column, boolean negated, List<String> tokens) {
        String sql = "rowid " + (negated ? "NOT IN" : "IN") + " (SELECT rowid FROM " + FtsQuery.TABLE + " WHERE "
                + FtsQuery.TABLE + " MATCH ?)";
        return SqlFragment.of(sql, List.of(FtsQuery.anyToken(column, tokens)));
    }

    static SqlFragment between(String column, boolean negated, Object from, Object to) {
        return SqlFragment.of(column + (negated ? " NOT BETWEEN ? AND ?" : " BETWEEN ? AND ?"),
                List.of(bind(from), bind(to)));
    }

    static SqlFragment isNull(String column, boolean negated) {
        return SqlFragment.of(column + (negated ? " IS NOT NULL" : " IS NULL"), List.of());
    }

    /** A value as the column holds it: statuses by number, datetimes in epoch nanoseconds, Bool as 1/0. */
    static Object bind(Object value) {
        return switch (value) {
            case ExecutionStatuses.Status status -> (long) status.number();
            case TypedValues.Datetime time -> time.epochNanos();
            case Boolean b -> b ? 1L : 0L;
            default -> value;
        };
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
