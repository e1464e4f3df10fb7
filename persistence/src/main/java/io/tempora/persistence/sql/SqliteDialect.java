package io.tempora.persistence.sql;

import io.tempora.persistence.SqlDialect;

import java.sql.SQLException;

/**
 * SQLite: one writer connection serializes every write (see {@link GroupCommitWriter}), so fencing reads need no row
 * lock; constraint failures are result code 19 (SQLITE_CONSTRAINT) with a primary key or unique extended code.
 */
public final class SqliteDialect implements SqlDialect {
    private static final int SQLITE_CONSTRAINT = 19;

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return (e.getErrorCode() & 0xff) == SQLITE_CONSTRAINT
                && e.getMessage() != null && (e.getMessage().contains("UNIQUE") || e.getMessage().contains("PRIMARY KEY"));
    }

    @Override
    public String lockRow() {
        return "";
    }

    @Override
    public String insertOrReplace(String table, String columns, int valueCount) {
        return "INSERT OR REPLACE INTO " + table + " (" + columns + ") VALUES (" + "?, ".repeat(valueCount - 1) + "?)";
    }
}
