package io.tempora.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A history shard's outbox, for every task category: tasks are written with their transition (see
 * {@link ExecutionStore}), read here in pages in queue order, and trimmed below the ack level together with it
 * ({@link ShardStore#saveProgress}). Tasks that kept failing are parked in the dead-letter queue.
 */
public final class HistoryTaskStore {
    /** A dead letter's error is kept to this many characters (MySQL's TEXT holds 64 KB). */
    static final int MAX_ERROR_CHARS = 8000;

    /** A dead-lettered task: the task, how often it was tried and its last error. */
    public record DeadLetter(int shardId, HistoryTask task, int attempts, String lastError, long addedTimeMs) {}

    private final Database db;
    private final Sql sql;

    public HistoryTaskStore(Database db) {
        this.db = db;
        this.sql = db.sql();
    }

    /** Up to {@code limit} tasks of the category with key at or after {@code from} and fire time before {@code until}. */
    public List<HistoryTask> read(int shardId, int categoryId, HistoryTask.Key from, long untilFireTimeExclusive, int limit) {
        return db.read(c -> {
            List<HistoryTask> tasks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.readHistoryTasks)) {
                ps.setInt(1, shardId);
                ps.setInt(2, categoryId);
                ps.setLong(3, from.fireTimeMs());
                ps.setLong(4, from.taskId());
                ps.setLong(5, untilFireTimeExclusive);
                ps.setInt(6, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tasks.add(new HistoryTask(categoryId, rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
                    }
                }
            }
            return tasks;
        });
    }

    /** Parks a task that kept failing; fenced by the shard lease like every shard write. */
    public void addDeadLetter(int shardId, long rangeId, HistoryTask task, int attempts, String lastError) {
        db.write(c -> {
            ShardStore.assertOwnership(c, sql, shardId, rangeId);
            try (PreparedStatement ps = c.prepareStatement(sql.putDeadLetter)) {
                ps.setInt(1, shardId);
                ps.setInt(2, task.categoryId());
                ps.setLong(3, task.fireTimeMs());
                ps.setLong(4, task.taskId());
                ps.setBytes(5, task.data());
                ps.setInt(6, attempts);
                ps.setString(7, lastError.length() > MAX_ERROR_CHARS ? lastError.substring(0, MAX_ERROR_CHARS) : lastError);
                ps.setLong(8, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Dead letters in (shard, category, fire time, task id) order, up to {@code limit}; {@code shardId} 0 means all shards. */
    public List<DeadLetter> listDeadLetters(int shardId, int limit) {
        return db.read(c -> {
            List<DeadLetter> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.listDeadLetters)) {
                ps.setInt(1, shardId);
                ps.setInt(2, shardId);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeadLetter(rs.getInt(1), new HistoryTask(rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getBytes(5)),
                                rs.getInt(6), rs.getString(7), rs.getLong(8)));
                    }
                }
            }
            return out;
        });
    }

    public java.util.Optional<DeadLetter> findDeadLetter(int shardId, int categoryId, long fireTimeMs, long taskId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectDeadLetter)) {
                ps.setInt(1, shardId);
                ps.setInt(2, categoryId);
                ps.setLong(3, fireTimeMs);
                ps.setLong(4, taskId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? java.util.Optional.of(new DeadLetter(shardId, new HistoryTask(categoryId, fireTimeMs, taskId, rs.getBytes(1)),
                                    rs.getInt(2), rs.getString(3), rs.getLong(4)))
                            : java.util.Optional.<DeadLetter>empty();
                }
            }
        });
    }

    public void deleteDeadLetter(int shardId, HistoryTask task) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.deleteDeadLetter)) {
                ps.setInt(1, shardId);
                ps.setInt(2, task.categoryId());
                ps.setLong(3, task.fireTimeMs());
                ps.setLong(4, task.taskId());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
