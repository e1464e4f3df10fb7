package io.tempora.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.ShardInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** History shard leases: acquiring a shard bumps its range id, and every shard write is conditional on it. */
public final class ShardStore {
    public record Lease(int shardId, long rangeId, ShardInfo info) {}

    private final Database db;

    public ShardStore(Database db) {
        this.db = db;
    }

    public Lease acquire(int shardId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT range_id, data FROM shards WHERE shard_id = ?")) {
                ps.setInt(1, shardId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long rangeId = rs.getLong(1) + 1;
                        ShardInfo info = parse(rs.getBytes(2));
                        try (PreparedStatement up = c.prepareStatement("UPDATE shards SET range_id = ? WHERE shard_id = ?")) {
                            up.setLong(1, rangeId);
                            up.setInt(2, shardId);
                            up.executeUpdate();
                        }
                        return new Lease(shardId, rangeId, info);
                    }
                }
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO shards (shard_id, range_id, data) VALUES (?, 1, ?)")) {
                ins.setInt(1, shardId);
                ins.setBytes(2, ShardInfo.getDefaultInstance().toByteArray());
                ins.executeUpdate();
            }
            return new Lease(shardId, 1, ShardInfo.getDefaultInstance());
        });
    }

    /**
     * Persists the queues' ack levels and deletes the tasks below them, in one transaction fenced by the lease (a
     * lost lease fails it and deletes nothing). {@code info} holds an ack level per category.
     */
    public void saveProgress(int shardId, long rangeId, ShardInfo info) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE shards SET data = ? WHERE shard_id = ? AND range_id = ?")) {
                ps.setBytes(1, info.toByteArray());
                ps.setInt(2, shardId);
                ps.setLong(3, rangeId);
                if (ps.executeUpdate() != 1) {
                    throw new ShardOwnershipLostException(shardId, rangeId);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM history_tasks WHERE shard_id = ? AND category_id = ? AND (fire_time, task_id) < (?, ?)")) {
                for (var e : info.getQueueAckLevelsMap().entrySet()) {
                    ps.setInt(1, shardId);
                    ps.setInt(2, e.getKey());
                    ps.setLong(3, e.getValue().getFireTimeMs());
                    ps.setLong(4, e.getValue().getTaskId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Fencing check run inside every transaction that writes shard data. */
    static void assertOwnership(Connection c, int shardId, long rangeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT range_id FROM shards WHERE shard_id = ?")) {
            ps.setInt(1, shardId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) != rangeId) {
                    throw new ShardOwnershipLostException(shardId, rangeId);
                }
            }
        }
    }

    private static ShardInfo parse(byte[] data) {
        try {
            return ShardInfo.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt shard record", e);
        }
    }
}
