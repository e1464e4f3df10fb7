package io.tempora.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TransferTask;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** The history shard's outbox tables: read on recovery, trimmed below the persisted ack levels. */
public final class QueueTaskStore {
    private final Database db;

    public QueueTaskStore(Database db) {
        this.db = db;
    }

    public List<TransferTask> readTransferTasks(int shardId, long afterTaskId) {
        return db.read(c -> {
            List<TransferTask> tasks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT data FROM transfer_tasks WHERE shard_id = ? AND task_id > ? ORDER BY task_id")) {
                ps.setInt(1, shardId);
                ps.setLong(2, afterTaskId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tasks.add(parse(() -> TransferTask.parseFrom(rs.getBytes(1))));
                    }
                }
            }
            return tasks;
        });
    }

    public List<TimerTask> readTimerTasks(int shardId, long fromFireTimeMs) {
        return db.read(c -> {
            List<TimerTask> tasks = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT data FROM timer_tasks WHERE shard_id = ? AND fire_time >= ? ORDER BY fire_time, task_id")) {
                ps.setInt(1, shardId);
                ps.setLong(2, fromFireTimeMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tasks.add(parse(() -> TimerTask.parseFrom(rs.getBytes(1))));
                    }
                }
            }
            return tasks;
        });
    }

    /** Deletes processed tasks: transfer tasks up to and including the ack level, timers before it. */
    public void trim(int shardId, long transferAckLevel, long timerAckLevelMs) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM transfer_tasks WHERE shard_id = ? AND task_id <= ?")) {
                ps.setInt(1, shardId);
                ps.setLong(2, transferAckLevel);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM timer_tasks WHERE shard_id = ? AND fire_time < ?")) {
                ps.setInt(1, shardId);
                ps.setLong(2, timerAckLevelMs);
                ps.executeUpdate();
            }
            return null;
        });
    }

    interface Parser<T> {
        T parse() throws InvalidProtocolBufferException, java.sql.SQLException;
    }

    static <T> T parse(Parser<T> parser) throws java.sql.SQLException {
        try {
            return parser.parse();
        } catch (InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt task record", e);
        }
    }
}
