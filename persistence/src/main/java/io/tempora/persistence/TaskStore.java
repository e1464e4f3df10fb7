package io.tempora.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.MatchingTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Matching's persisted backlog, one partition per (namespace, task queue, type), fenced by its range id. */
public final class TaskStore {
    public record QueueKey(String namespaceId, String name, int taskType) {}

    public record StoredTask(long taskId, MatchingTask task) {}

    private final Database db;

    public TaskStore(Database db) {
        this.db = db;
    }

    /** Takes the partition's lease: returns the new range id. */
    public long lease(QueueKey key) {
        return db.write(c -> {
            try (PreparedStatement up = c.prepareStatement(
                    "UPDATE task_queues SET range_id = range_id + 1 WHERE namespace_id = ? AND name = ? AND task_type = ?")) {
                bind(up, key, 1);
                if (up.executeUpdate() == 0) {
                    try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO task_queues (namespace_id, name, task_type, range_id) VALUES (?, ?, ?, 1)")) {
                        bind(ins, key, 1);
                        ins.executeUpdate();
                    }
                    return 1L;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT range_id FROM task_queues WHERE namespace_id = ? AND name = ? AND task_type = ?")) {
                bind(ps, key, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    public void create(QueueKey key, long rangeId, long taskId, MatchingTask task) {
        db.write(c -> {
            try (PreparedStatement check = c.prepareStatement(
                    "SELECT range_id FROM task_queues WHERE namespace_id = ? AND name = ? AND task_type = ?")) {
                bind(check, key, 1);
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next() || rs.getLong(1) != rangeId) {
                        throw new ConditionFailedException("task queue " + key.name() + " lease lost");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tasks (namespace_id, task_queue, task_type, task_id, data) VALUES (?, ?, ?, ?, ?)")) {
                bind(ps, key, 1);
                ps.setLong(4, taskId);
                ps.setBytes(5, task.toByteArray());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Up to {@code limit} tasks with {@code afterTaskId < task_id < beforeTaskId}, in task id order: one page of the
     * backlog, so that a partition never holds more of it than it asked for.
     */
    public List<StoredTask> readPage(QueueKey key, long afterTaskId, long beforeTaskId, int limit) {
        return db.read(c -> {
            List<StoredTask> tasks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT task_id, data FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ?"
                            + " AND task_id > ? AND task_id < ? ORDER BY task_id LIMIT ?")) {
                bind(ps, key, 1);
                ps.setLong(4, afterTaskId);
                ps.setLong(5, beforeTaskId);
                ps.setInt(6, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tasks.add(new StoredTask(rs.getLong(1), parse(rs.getBytes(2))));
                    }
                }
            }
            return tasks;
        });
    }

    public long maxTaskId(QueueKey key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COALESCE(MAX(task_id), 0) FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ?")) {
                bind(ps, key, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Fire-and-forget delete of a delivered task; a lost delete only means a harmless duplicate after restart. */
    public void deleteAsync(QueueKey key, long taskId) {
        db.writer().submit(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ? AND task_id = ?")) {
                bind(ps, key, 1);
                ps.setLong(4, taskId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static MatchingTask parse(byte[] data) {
        try {
            return MatchingTask.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt task record", e);
        }
    }

    private static void bind(PreparedStatement ps, QueueKey key, int from) throws java.sql.SQLException {
        ps.setString(from, key.namespaceId());
        ps.setString(from + 1, key.name());
        ps.setInt(from + 2, key.taskType());
    }
}
