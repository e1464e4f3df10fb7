package io.tempora.persistence.sql;

import io.tempora.persistence.SqlDialect;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * PostgreSQL (12+): fencing reads lock their row ({@code FOR UPDATE}) so that a lease taken by another process cannot
 * commit between the check and the write; a unique violation is SQLSTATE 23505.
 */
public final class PostgresDialect implements SqlDialect {
    private static final String UNIQUE_VIOLATION = "23505";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return SqlDialect.anyCause(e, se -> UNIQUE_VIOLATION.equals(se.getSQLState()));
    }

    @Override
    public String lockRow() {
        return " FOR UPDATE";
    }

    @Override
    public String insertOrReplace(String table, List<String> columns, List<String> key) {
        return SqlDialect.insertInto(table, columns)
                + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + updates(columns, key);
    }

    @Override
    public String upsertIfNewer(String table, List<String> columns, List<String> key, String version) {
        return SqlDialect.insertInto(table, columns)
                + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + updates(columns, key)
                + " WHERE EXCLUDED." + version + " > " + table + "." + version;
    }

    private static String updates(List<String> columns, List<String> key) {
        return columns.stream().filter(c -> !key.contains(c)).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    }

    @Override
    public io.tempora.persistence.visibility.query.VisibilitySql visibility() {
        return new io.tempora.persistence.visibility.query.PostgresVisibilitySql();
    }
}
