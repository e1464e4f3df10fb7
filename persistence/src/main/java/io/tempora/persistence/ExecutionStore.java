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

    public ExecutionStore(Database db) {
        this.db = db;
    }

    public Optional<CurrentExecution> getCurrent(int shardId, String namespaceId, String workflowId) {
        return db.read(c -> currentRow(c, shardId, namespaceId, workflowId));
    }

    public Optional<MutableStateRecord> get(int shardId, String namespaceId, String workflowId, String runId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state FROM executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?")) {
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
            try (PreparedStatement ps = c.prepareStatement("SELECT shard_id, namespace_id, workflow_id, run_id FROM executions");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ExecutionKey(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
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
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT batch FROM history_events WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?"
                            + " AND last_event_id >= ? AND first_event_id < ? ORDER BY first_event_id")) {
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

    /** Deletes a run: its state, its history and, if it is the current run, the current-run pointer. */
    public void delete(int shardId, long rangeId, String namespaceId, String workflowId, String runId) {
        db.write(c -> {
            ShardStore.assertOwnership(c, shardId, rangeId);
            for (String sql : new String[] {
                    "DELETE FROM executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?",
                    "DELETE FROM history_events WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?",
                    "DELETE FROM current_executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
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
     * Queues the transition for the next group commit; the future completes once it is durable (or failed).
     * Writes are applied in submission order, so a write that depends on a failed one fails its condition too.
     */
    public java.util.concurrent.CompletableFuture<Void> writeAsync(WorkflowWrite w) {
        return db.writer().submit(c -> {
            applyWrite(c, w);
            return null;
        });
    }

    private void applyWrite(Connection c, WorkflowWrite w) throws SQLException {
        ShardStore.assertOwnership(c, w.shardId(), w.rangeId());
        ExecutionInfo info = w.state().getExecution();
        switch (w.currentMode()) {
            case BRAND_NEW, REPLACE -> {
                Optional<CurrentExecution> current = currentRow(c, w.shardId(), info.getNamespaceId(), info.getWorkflowId());
                if (w.currentMode() == WorkflowWrite.CurrentMode.BRAND_NEW && current.isPresent()) {
                    throw new CurrentWorkflowConditionFailedException(current.get());
                }
                if (w.currentMode() == WorkflowWrite.CurrentMode.REPLACE
                        && (current.isEmpty() || !current.get().runId().equals(w.previousRunId()))) {
                    throw current.<ConditionFailedException>map(CurrentWorkflowConditionFailedException::new)
                            .orElseGet(() -> new ConditionFailedException("no current run to replace"));
                }
                upsertCurrent(c, w.shardId(), info);
                insertExecution(c, w);
            }
            case UPDATE_STATUS -> {
                updateExecution(c, w);
                updateCurrentStatus(c, w.shardId(), info);
            }
        }
        insertHistory(c, w);
        insertTasks(c, w.shardId(), w.tasks());
        if (w.newRun() != null) {
            applyWrite(c, w.newRun());
        }
    }

    private static Optional<CurrentExecution> currentRow(Connection c, int shardId, String namespaceId, String workflowId)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT run_id, create_request_id, status FROM current_executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ?")) {
            ps.setInt(1, shardId);
            ps.setString(2, namespaceId);
            ps.setString(3, workflowId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new CurrentExecution(rs.getString(1), rs.getString(2), rs.getInt(3))) : Optional.empty();
            }
        }
    }

    private static void upsertCurrent(Connection c, int shardId, ExecutionInfo info) throws SQLException {
        try (PreparedStatement del = c.prepareStatement(
                "DELETE FROM current_executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ?")) {
            del.setInt(1, shardId);
            del.setString(2, info.getNamespaceId());
            del.setString(3, info.getWorkflowId());
            del.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO current_executions (shard_id, namespace_id, workflow_id, run_id, create_request_id, status) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setInt(1, shardId);
            ps.setString(2, info.getNamespaceId());
            ps.setString(3, info.getWorkflowId());
            ps.setString(4, info.getRunId());
            ps.setString(5, info.getCreateRequestId());
            ps.setInt(6, info.getStatus());
            ps.executeUpdate();
        }
    }

    private static void updateCurrentStatus(Connection c, int shardId, ExecutionInfo info) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE current_executions SET status = ? WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?")) {
            ps.setInt(1, info.getStatus());
            ps.setInt(2, shardId);
            ps.setString(3, info.getNamespaceId());
            ps.setString(4, info.getWorkflowId());
            ps.setString(5, info.getRunId());
            ps.executeUpdate();
        }
    }

    private static void insertExecution(Connection c, WorkflowWrite w) throws SQLException {
        ExecutionInfo info = w.state().getExecution();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO executions (shard_id, namespace_id, workflow_id, run_id, next_event_id, db_version, state) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
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

    private static void updateExecution(Connection c, WorkflowWrite w) throws SQLException {
        ExecutionInfo info = w.state().getExecution();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE executions SET next_event_id = ?, db_version = ?, state = ?"
                        + " WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ? AND db_version = ?")) {
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

    private static void insertHistory(Connection c, WorkflowWrite w) throws SQLException {
        if (w.events().isEmpty()) {
            return;
        }
        ExecutionInfo info = w.state().getExecution();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO history_events (shard_id, namespace_id, workflow_id, run_id, first_event_id, last_event_id, batch)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
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

    static void insertTasks(Connection c, int shardId, List<HistoryTask> tasks) throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO history_tasks (shard_id, category_id, fire_time, task_id, data) VALUES (?, ?, ?, ?, ?)")) {
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
