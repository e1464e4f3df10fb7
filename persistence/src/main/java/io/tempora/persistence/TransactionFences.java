package io.tempora.persistence;

import java.util.HashMap;
import java.util.Map;

/**
 * The shard leases already checked in the writer's current transaction. A fence locks the shard's row until the
 * transaction ends, so a later transition of the same shard in the same batch need not read it again: one fence per
 * shard per commit instead of one per transition. The writer forgets them whenever its transaction ends or a unit is
 * rolled back to its savepoint (which may release the lock); taking a lease forgets its shard. One entry per shard at
 * most, and only the writer thread has entries.
 */
public final class TransactionFences {
    private static final ThreadLocal<Map<Integer, Long>> FENCED = ThreadLocal.withInitial(HashMap::new);

    private TransactionFences() {}

    static boolean holds(int shardId, long rangeId) {
        Long fenced = FENCED.get().get(shardId);
        return fenced != null && fenced == rangeId;
    }

    static void remember(int shardId, long rangeId) {
        FENCED.get().put(shardId, rangeId);
    }

    static void forget(int shardId) {
        FENCED.get().remove(shardId);
    }

    /** Called by the writer at every end of a transaction and every rollback to a savepoint. */
    public static void forgetAll() {
        FENCED.get().clear();
    }
}
