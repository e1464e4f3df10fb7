package io.tempora.persistence.visibility.query;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: {@code starts_with} for prefixes, JSONB containment ({@code @>}, GIN-indexed) for KeywordList, the
 * column's tsvector ({@code <column>_words}, GIN-indexed) for Text, Bool as a boolean.
 */
public final class PostgresVisibilitySql implements VisibilitySql {
    @Override
    public SqlFragment startsWith(String column, boolean negated, String prefix) {
        return SqlFragment.of((negated ? "NOT " : "") + "starts_with(" + column + ", ?)", List.of(prefix));
    }

    @Override
    public SqlFragment keywordList(String column, boolean negated, List<Object> values) {
        List<String> any = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            any.add(column + " @> jsonb_build_array(?::text)");
        }
        String sql = "(" + String.join(" OR ", any) + ")";
        return SqlFragment.of(negated ? "NOT COALESCE(" + sql + ", FALSE)" : sql, values);
    }

    @Override
    public SqlFragment text(String column, boolean negated, List<String> tokens) {
        List<String> any = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            any.add("plainto_tsquery('simple', ?)");
        }
        String sql = column + "_words @@ (" + String.join(" || ", any) + ")";
        return SqlFragment.of(negated ? "NOT (" + sql + ")" : sql, new ArrayList<>(tokens));
    }

    @Override
    public Object bool(boolean value) {
        return value;
    }
}
