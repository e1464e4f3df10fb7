package io.tempora.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** Cluster-wide facts stored with the data: the history shard count every workflow's shard is computed from. */
public final class ClusterMetadataStore {
    private static final String NUM_HISTORY_SHARDS = "num_history_shards";
    private static final String CLUSTER_ID = "cluster_id";

    /** The data was written with another shard count: starting would put workflows on the wrong shards. */
    public static final class ShardCountMismatchException extends PersistenceException {
        private final int stored;

        ShardCountMismatchException(int stored, int requested) {
            super("was created with " + stored + " history shards; start it with --num-shards " + stored);
            this.stored = stored;
        }

        public int stored() {
            return stored;
        }
    }

    private final Database db;

    private final Sql sql;

    public ClusterMetadataStore(Database db) {
        this.db = db;
        this.sql = db.sql();
    }

    /** A one-time step recorded as done (e.g. the visibility backfill of a database from before visibility). */
    public boolean isDone(String step) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectClusterValue)) {
                ps.setString(1, step);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public void markDone(String step) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectClusterValue)) {
                ps.setString(1, step);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return null;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.insertClusterValue)) {
                ps.setString(1, step);
                ps.setString(2, Long.toString(System.currentTimeMillis()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The cluster's id (GetClusterInfo), made up once and kept with the data. */
    public String clusterId() {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectClusterValue)) {
                ps.setString(1, CLUSTER_ID);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            String id = java.util.UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement(sql.insertClusterValue)) {
                ps.setString(1, CLUSTER_ID);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return id;
        });
    }

    /** Records the shard count on first use; afterwards it must be the same. */
    public void checkShardCount(int numShards) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.selectClusterValue)) {
                ps.setString(1, NUM_HISTORY_SHARDS);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        int stored = Integer.parseInt(rs.getString(1));
                        if (stored != numShards) {
                            throw new ShardCountMismatchException(stored, numShards);
                        }
                        return null;
                    }
                }
            }
            // A database from before this table: its shard rows tell the count it was written with.
            try (PreparedStatement ps = c.prepareStatement(sql.countShards);
                 ResultSet rs = ps.executeQuery()) {
                int existing = rs.next() ? rs.getInt(1) : 0;
                if (existing > 0 && existing != numShards) {
                    throw new ShardCountMismatchException(existing, numShards);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(sql.insertClusterValue)) {
                ps.setString(1, NUM_HISTORY_SHARDS);
                ps.setString(2, Integer.toString(numShards));
                ps.executeUpdate();
            }
            return null;
        });
    }
}
