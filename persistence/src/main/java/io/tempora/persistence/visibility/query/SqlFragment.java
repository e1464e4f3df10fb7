package io.tempora.persistence.visibility.query;

import java.util.ArrayList;
import java.util.List;

/** A piece of the WHERE clause: SQL text with {@code ?} placeholders and their values, in order. */
record SqlFragment(String text, List<Object> params) {
    SqlFragment {
        params = List.copyOf(params);
    }

    static SqlFragment of(String text, List<Object> params) {
        return new SqlFragment(text, params);
    }

    /**
     * The parts joined by AND or OR as a balanced tree: SQLite refuses expressions nested more than 1000 deep, and a
     * flat chain of n conditions would otherwise be n deep.
     */
    static SqlFragment join(List<SqlFragment> parts, String operator) {
        return join(parts, 0, parts.size(), operator);
    }

    private static SqlFragment join(List<SqlFragment> parts, int from, int to, String operator) {
        if (to - from == 1) {
            return parts.get(from);
        }
        int middle = (from + to) >>> 1;
        SqlFragment left = join(parts, from, middle, operator);
        SqlFragment right = join(parts, middle, to, operator);
        List<Object> params = new ArrayList<>(left.params);
        params.addAll(right.params);
        return new SqlFragment("(" + left.text + ") " + operator + " (" + right.text + ")", params);
    }

    SqlFragment negate() {
        return new SqlFragment("NOT (" + text + ")", params);
    }
}
