/**
 * Tempora's persistence: stores over one SQL database, with the statements in {@link io.tempora.persistence.Sql} and
 * what differs between databases in a {@link io.tempora.persistence.SqlDialect}. A backend must give the stores
 * these semantics, which the history, matching and namespace code rely on (and {@code PersistenceContractTest}
 * checks):
 *
 * <ul>
 *   <li><b>Fencing.</b> Every write of shard data checks the shard's range id inside its own transaction, with the
 *       shard row locked until commit; a moved lease fails the write with {@link ShardOwnershipLostException} and
 *       nothing is written. Acquiring a shard moves its range id on with a conditional update. Task queue writes are
 *       fenced the same way by the partition's range id.</li>
 *   <li><b>Conditional updates.</b> A run's record is updated only at the version it was read at
 *       ({@code db_version}); otherwise {@link ConditionFailedException}. A write built on another still in flight
 *       therefore fails if that one fails or lands later: no ordering of the writer is assumed.</li>
 *   <li><b>Create-if-absent.</b> A workflow id's current run, a namespace, a shard and a task queue are created with
 *       an insert that the primary or unique key arbitrates; a violation is a condition failure (or
 *       {@link NamespaceStore.AlreadyExistsException}), never a second row. Replacing the current run is conditional
 *       on the run it replaces.</li>
 *   <li><b>Atomic transitions.</b> A run's new state, its history batch and its outbox tasks are one transaction;
 *       ack levels are saved with the trim of the tasks below them in one transaction.</li>
 *   <li><b>Durability.</b> A write is acknowledged once committed durably. The SQLite backend gets there with one
 *       writer connection that group-commits (its ordering is an implementation detail, not part of this
 *       contract).</li>
 * </ul>
 */
package io.tempora.persistence;
