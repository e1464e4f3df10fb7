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

    private final VisibilitySql dialect;

    Predicates(VisibilitySql dialect) {
        this.dialect = dialect;
    }

    /** {@code column op ?} or {@code column [NOT] IN (?, ...)}. */
    SqlFragment compare(String column, String operator, Object value) {
        if (Operators.isList(operator)) {
            List<?> values = (List<?>) value;
            List<Object> params = new ArrayList<>(values.size());
            values.forEach(v -> params.add(bind(v)));
            return SqlFragment.of(column + " " + SQL_OPERATORS.get(operator) + " (" + placeholders(values.size()) + ")",
                    params);
        }
        return SqlFragment.of(column + " " + SQL_OPERATORS.get(operator) + " ?", List.of(bind(value)));
    }

    SqlFragment startsWith(String column, boolean negated, String prefix) {
        return dialect.startsWith(column, negated, prefix);
    }

    /**
     * A KeywordList: {@code =} and {@code IN} match a row whose list has (any of) the values, {@code !=} and
     * {@code NOT IN} one whose list has none of them, an unset list included.
     */
    SqlFragment keywordList(String column, String operator, List<Object> values) {
        return dialect.keywordList(column, operator.equals("!=") || operator.equals("not in"), values);
    }

    /** Text is matched by words: {@code =} any of the tokens, {@code !=} none of them (an unset text included). */
    SqlFragment text(String column, boolean negated, List<String> tokens) {
        return dialect.text(column, negated, tokens);
    }

    SqlFragment between(String column, boolean negated, Object from, Object to) {
        return SqlFragment.of(column + (negated ? " NOT BETWEEN ? AND ?" : " BETWEEN ? AND ?"),
                List.of(bind(from), bind(to)));
    }

    static SqlFragment isNull(String column, boolean negated) {
        return SqlFragment.of(column + (negated ? " IS NOT NULL" : " IS NULL"), List.of());
    }

    /** A value as the column holds it: statuses by number, datetimes in epoch nanoseconds, Bool as the dialect's. */
    Object bind(Object value) {
        return switch (value) {
            case ExecutionStatuses.Status status -> (long) status.number();
            case TypedValues.Datetime time -> time.epochNanos();
            case Boolean b -> dialect.bool(b);
            default -> value;
        };
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }
}
