package io.tempora.persistence;

import java.sql.SQLException;

/**
 * What differs between the SQL databases Tempora runs on. Everything else is standard SQL in {@link Sql}, so adding a
 * database is one dialect (plus its migrations under {@code db/migration/<name>}).
 */
public interface SqlDialect {
    /** The dialect's name, also the folder of its migrations. */
    String name();

    /** A write that hit a primary or unique key: the stores turn it into a condition failure. */
    boolean isUniqueViolation(SQLException e);

    /**
     * Appended to a SELECT that fences a write by a lease (shard or task queue range id): it must lock the row until
     * the transaction ends ({@code FOR UPDATE}), so that a new lease cannot commit in between.
     */
    String lockRow();

    /** Inserts a row, or replaces the one with the same {@code key} (its primary key). */
    String insertOrReplace(String table, java.util.List<String> columns, java.util.List<String> key);

    /**
     * Inserts a row, or updates the one with the same {@code key} columns only if the new row's {@code version} column
     * is greater: a late write of an older version changes nothing.
     */
    String upsertIfNewer(String table, java.util.List<String> columns, java.util.List<String> key, String version);

    /** How visibility filters are written for this database. */
    io.tempora.persistence.visibility.query.VisibilitySql visibility();

    /** Whether {@code e} or one of its causes is an SQLException that {@code test} accepts. */
    static boolean anyCause(Throwable e, java.util.function.Predicate<SQLException> test) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException se && test.test(se)) {
                return true;
            }
        }
        return false;
    }

    /** {@code INSERT INTO table (columns) VALUES (?, ...)}, the start of every upsert. */
    static String insertInto(String table, java.util.List<String> columns) {
        return "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + "?, ".repeat(columns.size() - 1) + "?)";
    }
}
