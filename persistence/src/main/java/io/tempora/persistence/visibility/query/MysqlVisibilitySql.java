package io.tempora.persistence.visibility.query;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * MySQL / MariaDB: LIKE with an escaped prefix, {@code JSON_CONTAINS} for KeywordList, the column's FULLTEXT index in
 * boolean mode for Text (each word a quoted phrase, so no word is read as an operator), Bool as 1/0.
 */
public final class MysqlVisibilitySql implements VisibilitySql {
    @Override
    public SqlFragment startsWith(String column, boolean negated, String prefix) {
        String escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return SqlFragment.of(column + (negated ? " NOT LIKE ? ESCAPE '!'" : " LIKE ? ESCAPE '!'"), List.of(escaped + "%"));
    }

    @Override
    public SqlFragment keywordList(String column, boolean negated, List<Object> values) {
        List<String> any = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            any.add("JSON_CONTAINS(" + column + ", JSON_ARRAY(?))");
        }
        String sql = "(" + String.join(" OR ", any) + ")";
        return SqlFragment.of(negated ? "NOT COALESCE(" + sql + ", FALSE)" : sql, values);
    }

    @Override
    public SqlFragment text(String column, boolean negated, List<String> tokens) {
        String words = tokens.stream().map(t -> "\"" + t.replace("\"", " ") + "\"").collect(Collectors.joining(" "));
        String sql = "MATCH(" + column + ") AGAINST (? IN BOOLEAN MODE)";
        return SqlFragment.of(negated ? "NOT " + sql : sql, List.of(words));
    }

    @Override
    public Object bool(boolean value) {
        return value ? 1L : 0L;
    }
}
