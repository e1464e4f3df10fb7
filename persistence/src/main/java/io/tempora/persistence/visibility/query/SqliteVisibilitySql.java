package io.tempora.persistence.visibility.query;

import java.util.Collections;
import java.util.List;

/** SQLite: GLOB for prefixes, json_each over the KeywordList array, the FTS5 table for Text, Bool as 1/0. */
public final class SqliteVisibilitySql implements VisibilitySql {
    @Override
    public SqlFragment startsWith(String column, boolean negated, String prefix) {
        return SqlFragment.of(column + (negated ? " NOT GLOB ?" : " GLOB ?"), List.of(GlobPattern.startingWith(prefix)));
    }

    /** The official SQLite store's {@code rowid NOT IN} gives the same negation. */
    @Override
    public SqlFragment keywordList(String column, boolean negated, List<Object> values) {
        String exists = "EXISTS (SELECT 1 FROM json_each(" + column + ") WHERE value IN ("
                + String.join(", ", Collections.nCopies(values.size(), "?")) + "))";
        return SqlFragment.of(negated ? "NOT " + exists : exists, values);
    }

    @Override
    public SqlFragment text(String column, boolean negated, List<String> tokens) {
        String sql = "rowid " + (negated ? "NOT IN" : "IN") + " (SELECT rowid FROM " + FtsQuery.TABLE + " WHERE "
                + FtsQuery.TABLE + " MATCH ?)";
        return SqlFragment.of(sql, List.of(FtsQuery.anyToken(column, tokens)));
    }

    @Override
    public Object bool(boolean value) {
        return value ? 1L : 0L;
    }
}
