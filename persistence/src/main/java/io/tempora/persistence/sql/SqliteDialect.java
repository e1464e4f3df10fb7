package io.tempora.persistence.sql;

import io.tempora.persistence.SqlDialect;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * SQLite: one writer connection serializes every write (see {@link GroupCommitWriter}), so fencing reads need no row
 * lock; a unique violation is the primary key or unique extended code of SQLITE_CONSTRAINT.
 */
public final class SqliteDialect implements SqlDialect {
    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        if (!(e instanceof SQLiteException se)) {
            return false;
        }
        SQLiteErrorCode code = se.getResultCode();
        if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE) {
            return true;
        }
        // Without extended result codes the kind of constraint is only in the message.
        return code == SQLiteErrorCode.SQLITE_CONSTRAINT && e.getMessage() != null
                && (e.getMessage().contains("UNIQUE constraint") || e.getMessage().contains("PRIMARY KEY constraint"));
    }

    @Override
    public String lockRow() {
        return "";
    }

    @Override
    public String insertOrReplace(String table, java.util.List<String> columns, java.util.List<String> key) {
        return "INSERT OR REPLACE INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
    }

    @Override
    public String upsertIfNewer(String table, java.util.List<String> columns, java.util.List<String> key, String version) {
        String updates = columns.stream().filter(c -> !key.contains(c)).map(c -> c + " = excluded." + c)
                .collect(java.util.stream.Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)"
                + " ON CONFLICT (" + String.join(", ", key) + ") DO UPDATE SET " + updates
                + " WHERE excluded." + version + " > " + table + "." + version;
    }

    @Override
    public io.tempora.persistence.visibility.query.VisibilitySql visibility() {
        return new io.tempora.persistence.visibility.query.SqliteVisibilitySql();
    }
}
