package io.tempora.persistence.visibility;

import io.tempora.persistence.Database;
import io.tempora.persistence.Sql;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The visibility records of every run. Written only by the visibility queue's executor; read by the list and count
 * APIs with a filter the query translator made (a SQL condition with bound parameters, never user text).
 */
public final class VisibilityStore {
    /** The default order, as an index holds it: open runs first, then newest close, newest start. */
    private static final String ORDER = " ORDER BY close_time_sort DESC, start_time DESC, run_id DESC";

    private final Database db;
    private final Sql sql;
    public VisibilityStore(Database db) {
        this.db = db;
        this.sql = db.sql();
    }

    /** How filters for {@link #list} and {@link #count} are written in this store's database. */
    public io.tempora.persistence.visibility.query.VisibilitySql querySql() {
        return sql.dialect.visibility();
    }

    /** Writes the record unless the stored one is of the same or a newer version; returns once it is committed. */
    public void upsert(VisibilityRecord r) {
        upsertAll(List.of(r));
    }

    /** As {@link #upsert} for many records in one transaction (a bulk load). */
    public void upsertAll(List<VisibilityRecord> records) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.upsertVisibility)) {
                for (VisibilityRecord r : records) {
                    bind(ps, r);
                    ps.executeUpdate();
                }
                return records.size();
            }
        });
    }

    private static void bind(PreparedStatement ps, VisibilityRecord r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.namespaceId());
        ps.setString(i++, r.runId());
        ps.setString(i++, r.workflowId());
        ps.setString(i++, r.workflowType());
        ps.setInt(i++, r.status());
        ps.setLong(i++, r.startTime());
        ps.setLong(i++, r.executionTime());
        setNullableLong(ps, i++, r.closeTime());
        setNullableLong(ps, i++, r.executionDuration());
        ps.setLong(i++, r.historyLength());
        ps.setLong(i++, r.historySizeBytes());
        ps.setLong(i++, r.stateTransitionCount());
        ps.setString(i++, r.taskQueue());
        ps.setString(i++, r.parentWorkflowId());
        ps.setString(i++, r.parentRunId());
        ps.setString(i++, r.rootWorkflowId());
        ps.setString(i++, r.rootRunId());
        ps.setBytes(i++, r.memo());
        ps.setBytes(i++, r.searchAttributes());
        ps.setString(i++, r.searchAttributesJson());
        ps.setLong(i, r.version());
    }

    /**
     * Up to {@code limit} runs after {@code after} (null: from the first) in key order that have no visibility record
     * (a database from before visibility).
     */
    public List<io.tempora.persistence.ExecutionKey> runsWithoutRecord(io.tempora.persistence.ExecutionKey after, int limit) {
        io.tempora.persistence.ExecutionKey from = after != null ? after : new io.tempora.persistence.ExecutionKey(Integer.MIN_VALUE, "", "", "");
        return db.read(c -> {
            List<io.tempora.persistence.ExecutionKey> runs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.runsWithoutVisibility)) {
                ps.setInt(1, from.shardId());
                ps.setString(2, from.namespaceId());
                ps.setString(3, from.workflowId());
                ps.setString(4, from.runId());
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runs.add(new io.tempora.persistence.ExecutionKey(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return runs;
        });
    }

    /** Removes every record of a namespace (what is left once a deleted namespace's runs are gone). */
    public int deleteNamespace(String namespaceId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.deleteNamespaceVisibility)) {
                ps.setString(1, namespaceId);
                return ps.executeUpdate();
            }
        });
    }

    public void delete(String namespaceId, String runId) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.deleteVisibility)) {
                ps.setString(1, namespaceId);
                ps.setString(2, runId);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * A page of the namespace's records matching {@code where} (empty: all) in the default order, after {@code after}
     * (null: from the start). Stable while new runs arrive: they sort before any page key already handed out.
     */
    public List<VisibilityRecord> list(String namespaceId, String where, List<Object> params, VisibilityRecord.PageKey after, int pageSize) {
        List<Object> args = new ArrayList<>();
        String q = listQuery(namespaceId, where, params, after, pageSize, args);
        return db.read(c -> {
            List<VisibilityRecord> page = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, q, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    page.add(record(rs));
                }
            }
            return page;
        });
    }

    private String listQuery(String namespaceId, String where, List<Object> params, VisibilityRecord.PageKey after, int pageSize,
                             List<Object> args) {
        StringBuilder q = new StringBuilder(sql.selectVisibility).append(" WHERE namespace_id = ?");
        args.add(namespaceId);
        appendFilter(q, args, where, params);
        if (after != null) {
            q.append(" AND (close_time_sort, start_time, run_id) < (?, ?, ?)");
            args.add(after.closeTimeSort());
            args.add(after.startTime());
            args.add(after.runId());
        }
        q.append(ORDER).append(" LIMIT ?");
        args.add(pageSize);
        return q.toString();
    }

    /** How the database runs {@link #list} for these arguments (SQLite's EXPLAIN QUERY PLAN lines), for operators and benchmarks. */
    public List<String> explainList(String namespaceId, String where, List<Object> params, VisibilityRecord.PageKey after, int pageSize) {
        List<Object> args = new ArrayList<>();
        return explain(listQuery(namespaceId, where, params, after, pageSize, args), args);
    }

    /** How the database runs {@link #countByStatus} for these arguments. */
    public List<String> explainCountByStatus(String namespaceId, String where, List<Object> params) {
        List<Object> args = new ArrayList<>();
        return explain(countByStatusQuery(namespaceId, where, params, args), args);
    }

    private List<String> explain(String query, List<Object> args) {
        return db.read(c -> {
            List<String> plan = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "EXPLAIN QUERY PLAN " + query, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString("detail"));
                }
            }
            return plan;
        });
    }

    public long count(String namespaceId, String where, List<Object> params) {
        StringBuilder q = new StringBuilder(sql.countVisibility).append(" WHERE namespace_id = ?");
        List<Object> args = new ArrayList<>(List.of(namespaceId));
        appendFilter(q, args, where, params);
        return db.read(c -> {
            try (PreparedStatement ps = prepare(c, q.toString(), args); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Counts by execution status (the status number), for {@code GROUP BY ExecutionStatus}. */
    public Map<Integer, Long> countByStatus(String namespaceId, String where, List<Object> params) {
        List<Object> args = new ArrayList<>();
        String q = countByStatusQuery(namespaceId, where, params, args);
        return db.read(c -> {
            Map<Integer, Long> counts = new LinkedHashMap<>();
            try (PreparedStatement ps = prepare(c, q, args); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getInt(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    private String countByStatusQuery(String namespaceId, String where, List<Object> params, List<Object> args) {
        StringBuilder q = new StringBuilder(sql.countVisibilityByStatus).append(" WHERE namespace_id = ?");
        args.add(namespaceId);
        appendFilter(q, args, where, params);
        return q.append(" GROUP BY status ORDER BY status").toString();
    }

    private static void appendFilter(StringBuilder q, List<Object> args, String where, List<Object> params) {
        if (where != null && !where.isBlank()) {
            q.append(" AND (").append(where).append(')');
            args.addAll(params);
        }
    }

    private static PreparedStatement prepare(java.sql.Connection c, String q, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(q);
        try {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static Long nullableLong(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
    }

    private static VisibilityRecord record(ResultSet rs) throws SQLException {
        return new VisibilityRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getLong(6), rs.getLong(7), nullableLong(rs, 8), nullableLong(rs, 9), rs.getLong(10), rs.getLong(11),
                rs.getLong(12), rs.getString(13), rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17),
                rs.getBytes(18), rs.getBytes(19), rs.getString(20), rs.getLong(21));
    }
}
