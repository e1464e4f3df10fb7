package io.tempora.persistence.visibility;

import java.util.ArrayList;
import java.util.List;

/** A piece of the WHERE clause: SQL text with {@code ?} placeholders and their values, in order. */
record Sql(String text, List<Object> params) {
    Sql {
        params = List.copyOf(params);
    }

    static Sql of(String text, List<Object> params) {
        return new Sql(text, params);
    }

    /**
     * The parts joined by AND or OR as a balanced tree: SQLite refuses expressions nested more than 1000 deep, and a
     * flat chain of n conditions would otherwise be n deep.
     */
    static Sql join(List<Sql> parts, String operator) {
        return join(parts, 0, parts.size(), operator);
    }

    private static Sql join(List<Sql> parts, int from, int to, String operator) {
        if (to - from == 1) {
            return parts.get(from);
        }
        int middle = (from + to) >>> 1;
        Sql left = join(parts, from, middle, operator);
        Sql right = join(parts, middle, to, operator);
        List<Object> params = new ArrayList<>(left.params);
        params.addAll(right.params);
        return new Sql("(" + left.text + ") " + operator + " (" + right.text + ")", params);
    }

    Sql negate() {
        return new Sql("NOT (" + text + ")", params);
    }
}
