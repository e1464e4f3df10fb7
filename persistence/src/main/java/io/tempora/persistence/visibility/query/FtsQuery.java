package io.tempora.persistence.visibility.query;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The FTS5 query for a Text comparison, as the official SQLite converter builds it: {@code col : ("t1" OR "t2")},
 * a row matching when its text has any of the tokens. Each token is one FTS5 string (a {@code "} in it doubled), so
 * no token is read as FTS5 syntax; the query is bound as a parameter, never written into the SQL.
 */
final class FtsQuery {
    static final String TABLE = "executions_visibility_fts_text";

    private FtsQuery() {}

    /** The official TokenizeTextQueryString: split on spaces, empty pieces dropped. */
    static List<String> tokens(String text) {
        return Arrays.stream(text.split(" ")).filter(t -> !t.isEmpty()).toList();
    }

    static String anyToken(String column, List<String> tokens) {
        return column + " : (" + tokens.stream()
                .map(t -> "\"" + t.replace("\"", "\"\"") + "\"")
                .collect(Collectors.joining(" OR ")) + ")";
    }
}
