package io.tempora.persistence.sql;

import io.tempora.persistence.SqlDialect;
import io.tempora.persistence.visibility.query.MysqlVisibilitySql;
import io.tempora.persistence.visibility.query.VisibilitySql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * MySQL 8 and MariaDB 10.11 (InnoDB): fencing reads lock their row ({@code FOR UPDATE}); a duplicate key is error
 * 1062; upserts are {@code ON DUPLICATE KEY UPDATE} with {@code VALUES()}, the form both databases accept.
 */
public final class MysqlDialect implements SqlDialect {
    private static final int DUPLICATE_KEY = 1062;

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return SqlDialect.anyCause(e, se -> se.getErrorCode() == DUPLICATE_KEY);
    }

    @Override
    public String lockRow() {
        return " FOR UPDATE";
    }

    @Override
    public String insertOrReplace(String table, List<String> columns, List<String> key) {
        return SqlDialect.insertInto(table, columns) + " ON DUPLICATE KEY UPDATE " + columns.stream().filter(c -> !key.contains(c))
                .map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", "));
    }

    /**
     * Assignments run left to right and each sees the ones before it, so the version column is assigned last: the
     * others still compare against the stored version.
     */
    @Override
    public String upsertIfNewer(String table, List<String> columns, List<String> key, String version) {
        List<String> updated = new ArrayList<>(columns.stream().filter(c -> !key.contains(c) && !c.equals(version)).toList());
        updated.add(version);
        String newer = "VALUES(" + version + ") > " + version;
        return SqlDialect.insertInto(table, columns) + " ON DUPLICATE KEY UPDATE " + updated.stream()
                .map(c -> c + " = IF(" + newer + ", VALUES(" + c + "), " + c + ")").collect(Collectors.joining(", "));
    }

    @Override
    public VisibilitySql visibility() {
        return new MysqlVisibilitySql();
    }
}
