package io.tempora.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Workflow runs: MutableState rows, the current-run pointer, history batches and outbox tasks. */
public final class ExecutionStore {
    private final Database db;
    private final Sql sql;

    public ExecutionStore(Database db) {
        this.db = db;
        this.sql = db.sql();
    }

    public Optional<CurrentExecution> getCurrent(int shardId, String namespaceId, String workflowId) {
        return db.read(c -> currentRow(c, sql, shardId, namespaceId, workflowId));
    }

    public Optional<MutableStateRecord> get(int shardId, String namespaceId, String workflowId, String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectExecution)) {
                ps.setInt(1, shardId);
                ps.setString(2, namespaceId);
                ps.setString(3, workflowId);
                ps.setString(4, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(parseState(rs.getBytes(1))) : Optional.empty();
                }
            }
        });
    }

    public List<ExecutionKey> listAll() {
        return db.read(c -> {
            List<ExecutionKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.listExecutions);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ExecutionKey(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            return keys;
        });
    }

    /** Up to {@code limit} runs of a namespace in a shard after {@code after} (null: from the first), in key order. */
    public List<ExecutionKey> listInNamespace(int shardId, String namespaceId, ExecutionKey after, int limit) {
        return db.read(c -> {
            List<ExecutionKey> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.listNamespaceExecutions)) {
                ps.setInt(1, shardId);
                ps.setString(2, namespaceId);
                ps.setString(3, after == null ? "" : after.workflowId());
                ps.setString(4, after == null ? "" : after.runId());
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new ExecutionKey(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                    }
                }
            }
            return keys;
        });
    }

    /** Reads events with ids in [fromEventId, toEventIdExclusive). */
    public List<HistoryEvent> readHistory(int shardId, String namespaceId, String workflowId, String runId,
                                          long fromEventId, long toEventIdExclusive) {
        return db.read(c -> {
            List<HistoryEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.readHistory)) {
                ps.setInt(1, shardId);
                ps.setString(2, namespaceId);
                ps.setString(3, workflowId);
                ps.setString(4, runId);
                ps.setLong(5, fromEventId);
                ps.setLong(6, toEventIdExclusive);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        for (HistoryEvent e : parseHistory(rs.getBytes(1)).getEventsList()) {
                            if (e.getEventId() >= fromEventId && e.getEventId() < toEventIdExclusive) {
                                events.add(e);
                            }
                        }
                    }
                }
            }
            return events;
        });
    }

    /** Deletes a run's state, history and current row; {@code tasks} (e.g. removing its visibility record) commit with it. */
    public void delete(int shardId, long rangeId, String namespaceId, String workflowId, String runId, List<HistoryTask> tasks) {
        db.write(c -> {
            ShardStore.assertOwnership(c, sql, shardId, rangeId);
            insertTasks(c, sql, shardId, tasks);
            for (String statement : new String[] {sql.deleteExecution, sql.deleteHistory, sql.deleteCurrent}) {
                try (PreparedStatement ps = c.prepareStatement(statement)) {
                    ps.setInt(1, shardId);
                    ps.setString(2, namespaceId);
                    ps.setString(3, workflowId);
                    ps.setString(4, runId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Commits one transition atomically; throws a {@link ConditionFailedException} when a condition lost. */
    public void write(WorkflowWrite w) {
        db.write(c -> {
            applyWrite(c, w);
            return null;
        });
    }

    /**
     * Queues the transition for the next commit; the future completes once it is durable (or failed). A write that
     * builds on one still in flight (pipelining) is conditional on that one's record version, so if that one fails,
     * or commits later, this one fails its condition; no ordering of the writer is assumed.
     */
    public java.util.concurrent.CompletableFuture<Void> writeAsync(WorkflowWrite w) {
        return db.writer().submit(c -> {
            applyWrite(c, w);
            return null;
        });
    }

    /**
     * One transition, inside the caller's transaction: fenced by the shard lease, conditional on the record version
     * it was read at, and for a new run on the workflow id's current run (none for BRAND_NEW, {@code previousRunId}
     * for REPLACE). A condition that does not hold throws a {@link ConditionFailedException} and writes nothing.
     */
    private void applyWrite(Connection c, WorkflowWrite w) throws SQLException {
        ShardStore.assertOwnership(c, sql, w.shardId(), w.rangeId());
        ExecutionInfo info = w.state().getExecution();
        switch (w.currentMode()) {
            case BRAND_NEW -> {
                Optional<CurrentExecution> current = currentRow(c, sql, w.shardId(), info.getNamespaceId(), info.getWorkflowId());
                if (current.isPresent()) {
                    throw new CurrentWorkflowConditionFailedException(current.get());
                }
                insertCurrent(c, w.shardId(), info);
                insertExecution(c, w);
            }
            case REPLACE -> {
                replaceCurrent(c, w.shardId(), info, w.previousRunId());
                insertExecution(c, w);
            }
            case UPDATE_STATUS -> {
                updateExecution(c, w);
                updateCurrentStatus(c, w.shardId(), info);
            }
        }
        insertHistory(c, w);
        insertTasks(c, sql, w.shardId(), w.tasks());
        if (w.newRun() != null) {
            applyWrite(c, w.newRun());
        }
    }

    private static Optional<CurrentExecution> currentRow(Connection c, Sql sql, int shardId, String namespaceId, String workflowId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.selectCurrent)) {
            ps.setInt(1, shardId);
            ps.setString(2, namespaceId);
            ps.setString(3, workflowId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new CurrentExecution(rs.getString(1), rs.getString(2), rs.getInt(3))) : Optional.empty();
            }
        }
    }

    /** Create-if-absent: the key arbitrates between concurrent starts, whatever the database's isolation. */
    private void insertCurrent(Connection c, int shardId, ExecutionInfo info) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.insertCurrent)) {
            ps.setInt(1, shardId);
            ps.setString(2, info.getNamespaceId());
            ps.setString(3, info.getWorkflowId());
            ps.setString(4, info.getRunId());
            ps.setString(5, info.getCreateRequestId());
            ps.setInt(6, info.getStatus());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (sql.dialect.isUniqueViolation(e)) {
                throw new ConditionFailedException("workflow " + info.getWorkflowId() + " got a current run meanwhile");
            }
            throw e;
        }
    }

    /** The workflow id's current run becomes this one, if it still is {@code previousRunId}. */
    private void replaceCurrent(Connection c, int shardId, ExecutionInfo info, String previousRunId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.replaceCurrent)) {
            ps.setString(1, info.getRunId());
            ps.setString(2, info.getCreateRequestId());
            ps.setInt(3, info.getStatus());
            ps.setInt(4, shardId);
            ps.setString(5, info.getNamespaceId());
            ps.setString(6, info.getWorkflowId());
            ps.setString(7, previousRunId);
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        throw currentRow(c, sql, shardId, info.getNamespaceId(), info.getWorkflowId())
                .<ConditionFailedException>map(CurrentWorkflowConditionFailedException::new)
                .orElseGet(() -> new ConditionFailedException("no current run to replace"));
    }

    private void updateCurrentStatus(Connection c, int shardId, ExecutionInfo info) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql.updateCurrentStatus)) {
            ps.setInt(1, info.getStatus());
            ps.setInt(2, shardId);
            ps.setString(3, info.getNamespaceId());
            ps.setString(4, info.getWorkflowId());
            ps.setString(5, info.getRunId());
            ps.executeUpdate();
        }
    }

    private void insertExecution(Connection c, WorkflowWrite w) throws SQLException {
        ExecutionInfo info = w.state().getExecution();
        try (PreparedStatement ps = c.prepareStatement(sql.insertExecution)) {
            ps.setInt(1, w.shardId());
            ps.setString(2, info.getNamespaceId());
            ps.setString(3, info.getWorkflowId());
            ps.setString(4, info.getRunId());
            ps.setLong(5, w.state().getNextEventId());
            ps.setLong(6, w.state().getDbVersion());
            ps.setBytes(7, w.state().toByteArray());
            ps.executeUpdate();
        }
    }

    private void updateExecution(Connection c, WorkflowWrite w) throws SQLException {
        ExecutionInfo info = w.state().getExecution();
        try (PreparedStatement ps = c.prepareStatement(sql.updateExecution)) {
            ps.setLong(1, w.state().getNextEventId());
            ps.setLong(2, w.state().getDbVersion());
            ps.setBytes(3, w.state().toByteArray());
            ps.setInt(4, w.shardId());
            ps.setString(5, info.getNamespaceId());
            ps.setString(6, info.getWorkflowId());
            ps.setString(7, info.getRunId());
            ps.setLong(8, w.expectedDbVersion());
            if (ps.executeUpdate() != 1) {
                throw new ConditionFailedException("workflow " + info.getWorkflowId() + "/" + info.getRunId()
                        + " changed since version " + w.expectedDbVersion());
            }
        }
    }

    private void insertHistory(Connection c, WorkflowWrite w) throws SQLException {
        if (w.events().isEmpty()) {
            return;
        }
        ExecutionInfo info = w.state().getExecution();
        try (PreparedStatement ps = c.prepareStatement(sql.insertHistory)) {
            ps.setInt(1, w.shardId());
            ps.setString(2, info.getNamespaceId());
            ps.setString(3, info.getWorkflowId());
            ps.setString(4, info.getRunId());
            ps.setLong(5, w.events().getFirst().getEventId());
            ps.setLong(6, w.events().getLast().getEventId());
            ps.setBytes(7, History.newBuilder().addAllEvents(w.events()).build().toByteArray());
            ps.executeUpdate();
        }
    }

    static void insertTasks(Connection c, Sql sql, int shardId, List<HistoryTask> tasks) throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.insertHistoryTask)) {
            for (HistoryTask t : tasks) {
                ps.setInt(1, shardId);
                ps.setInt(2, t.categoryId());
                ps.setLong(3, t.fireTimeMs());
                ps.setLong(4, t.taskId());
                ps.setBytes(5, t.data());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static MutableStateRecord parseState(byte[] data) {
        try {
            return MutableStateRecord.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt mutable state record", e);
        }
    }

    private static History parseHistory(byte[] data) {
        try {
            return History.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt history batch", e);
        }
    }
}
