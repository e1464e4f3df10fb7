package io.tempora.persistence;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.ShardInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * History shard leases. Acquiring a shard moves its range id on (a conditional update: two nodes acquiring at once
 * cannot both win), and every write of shard data checks, inside its own transaction and with the row locked, that
 * the range id is still the one it was leased with ({@link #assertOwnership}).
 */
public final class ShardStore {
    public record Lease(int shardId, long rangeId, ShardInfo info) {}

    private static final int ACQUIRE_ATTEMPTS = 5;

    private final Database db;
    private final Sql sql;

    public ShardStore(Database db) {
        this.db = db;
        this.sql = db.sql();
    }

    public Lease acquire(int shardId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.write(c -> tryAcquire(c, shardId));
            } catch (ConditionFailedException e) {
                if (attempt >= ACQUIRE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private Lease tryAcquire(Connection c, int shardId) throws SQLException {
        TransactionFences.forget(shardId); // the lease changes in this transaction: a fence of the old one says nothing
        try (PreparedStatement ps = c.prepareStatement(sql.selectShard)) {
            ps.setInt(1, shardId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long previous = rs.getLong(1);
                    ShardInfo info = parse(rs.getBytes(2));
                    try (PreparedStatement up = c.prepareStatement(sql.takeShard)) {
                        up.setLong(1, previous + 1);
                        up.setInt(2, shardId);
                        up.setLong(3, previous);
                        if (up.executeUpdate() != 1) {
                            throw new ConditionFailedException("shard " + shardId + " was acquired by another owner meanwhile");
                        }
                    }
                    return new Lease(shardId, previous + 1, info);
                }
            }
        }
        try (PreparedStatement ins = c.prepareStatement(sql.insertShard)) {
            ins.setInt(1, shardId);
            ins.setBytes(2, ShardInfo.getDefaultInstance().toByteArray());
            ins.executeUpdate();
        } catch (SQLException e) {
            if (sql.dialect.isUniqueViolation(e)) {
                throw new ConditionFailedException("shard " + shardId + " was created by another owner meanwhile");
            }
            throw e;
        }
        return new Lease(shardId, 1, ShardInfo.getDefaultInstance());
    }

    /**
     * Persists the queues' ack levels and deletes the tasks below them, in one transaction fenced by the lease (a
     * lost lease fails it and deletes nothing). {@code info} holds an ack level per category.
     */
    public void saveProgress(int shardId, long rangeId, ShardInfo info) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.saveShardInfo)) {
                ps.setBytes(1, info.toByteArray());
                ps.setInt(2, shardId);
                ps.setLong(3, rangeId);
                if (ps.executeUpdate() != 1) {
                    throw new ShardOwnershipLostException(shardId, rangeId);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.trimHistoryTasks)) {
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

    /**
     * Fencing check run inside every transaction that writes shard data; locks the shard row where the dialect can,
     * so that once per shard and transaction is enough ({@link TransactionFences}).
     */
    static void assertOwnership(Connection c, Sql sql, int shardId, long rangeId) throws SQLException {
        if (TransactionFences.holds(shardId, rangeId)) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.fenceShard)) {
            ps.setInt(1, shardId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getLong(1) != rangeId) {
                    throw new ShardOwnershipLostException(shardId, rangeId);
                }
            }
        }
        TransactionFences.remember(shardId, rangeId);
    }

    private static ShardInfo parse(byte[] data) {
        try {
            return ShardInfo.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt shard record", e);
        }
    }
}
