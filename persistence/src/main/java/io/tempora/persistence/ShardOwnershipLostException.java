package io.tempora.persistence;

/** The shard's range id moved on: another owner took the shard, this node must not write to it. */
public class ShardOwnershipLostException extends ConditionFailedException {
    public ShardOwnershipLostException(int shardId, long rangeId) {
        super("shard " + shardId + " ownership lost (range id " + rangeId + " is stale)");
    }
}
