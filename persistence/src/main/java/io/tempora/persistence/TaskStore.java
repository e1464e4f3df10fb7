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

    /** A queue's backlog: its tasks in the database and the create time of the oldest (0 when there is none). */
    public record Backlog(long count, long oldestCreateTimeMs) {}

    private final Database db;

    private final Sql sql;

    public TaskStore(Database db) {
        this.db = db;
        this.sql = db.sql();
    }

    /** Takes the partition's lease: returns the new range id (moved on atomically, so two takers cannot share one). */
    public long lease(QueueKey key) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.write(c -> {
                    try (PreparedStatement up = c.prepareStatement(sql.bumpTaskQueueLease)) {
                        bind(up, key, 1);
                        if (up.executeUpdate() == 0) {
                            try (PreparedStatement ins = c.prepareStatement(sql.insertTaskQueue)) {
                                bind(ins, key, 1);
                                ins.executeUpdate();
                            } catch (java.sql.SQLException e) {
                                if (sql.dialect.isUniqueViolation(e)) {
                                    throw new ConditionFailedException("task queue " + key.name() + " created meanwhile");
                                }
                                throw e;
                            }
                            return 1L;
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement(sql.selectTaskQueueLease)) {
                        bind(ps, key, 1);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                });
            } catch (ConditionFailedException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    /** Adds a task to the backlog, fenced by the partition's lease (the row is locked where the dialect can). */
    public void create(QueueKey key, long rangeId, long taskId, MatchingTask task) {
        db.write(c -> {
            try (PreparedStatement check = c.prepareStatement(sql.fenceTaskQueue)) {
                bind(check, key, 1);
                try (ResultSet rs = check.executeQuery()) {
                    if (!rs.next() || rs.getLong(1) != rangeId) {
                        throw new ConditionFailedException("task queue " + key.name() + " lease lost");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.insertQueueTask)) {
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
            try (PreparedStatement ps = c.prepareStatement(sql.readQueueTasks)) {
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

    /** Counts the queue's backlog (a scan of its rows: for DescribeTaskQueue, not for a hot path). */
    public Backlog backlog(QueueKey key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.queueBacklog)) {
                bind(ps, key, 1);
                bind(ps, key, 4);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    byte[] oldest = rs.getBytes(2);
                    return new Backlog(rs.getLong(1), oldest == null ? 0 : parse(oldest).getCreateTimeMs());
                }
            }
        });
    }

    /** Removes every task queue and task of a namespace (a deleted namespace: nobody can poll them any more). */
    public void deleteNamespace(String namespaceId) {
        db.write(c -> {
            for (String statement : List.of(sql.deleteNamespaceTasks, sql.deleteNamespaceTaskQueues)) {
                try (PreparedStatement ps = c.prepareStatement(statement)) {
                    ps.setString(1, namespaceId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    public long maxTaskId(QueueKey key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.maxQueueTaskId)) {
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
            try (PreparedStatement ps = c.prepareStatement(sql.deleteQueueTask)) {
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
