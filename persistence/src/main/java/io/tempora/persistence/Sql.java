package io.tempora.persistence;

/**
 * Every statement the stores run, in one place: standard SQL, with the parts that differ taken from the dialect.
 * Row-value comparisons ({@code (a, b) < (?, ?)}) keep range scans on the primary key in every supported database.
 */
public final class Sql {
    public final SqlDialect dialect;

    // ---- shards: the lease (range id) that fences every write of a shard
    public final String selectShard = "SELECT range_id, data FROM shards WHERE shard_id = ?";
    public final String takeShard = "UPDATE shards SET range_id = ? WHERE shard_id = ? AND range_id = ?";
    public final String insertShard = "INSERT INTO shards (shard_id, range_id, data) VALUES (?, 1, ?)";
    public final String saveShardInfo = "UPDATE shards SET data = ? WHERE shard_id = ? AND range_id = ?";
    public final String fenceShard;
    public final String countShards = "SELECT COUNT(*) FROM shards";

    // ---- executions: runs, the current run of each workflow id, history batches
    public final String selectCurrent =
            "SELECT run_id, create_request_id, status FROM current_executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ?";
    public final String insertCurrent =
            "INSERT INTO current_executions (shard_id, namespace_id, workflow_id, run_id, create_request_id, status) VALUES (?, ?, ?, ?, ?, ?)";
    public final String replaceCurrent = "UPDATE current_executions SET run_id = ?, create_request_id = ?, status = ?"
            + " WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?";
    public final String updateCurrentStatus =
            "UPDATE current_executions SET status = ? WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?";
    public final String selectExecution = "SELECT state FROM executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?";
    public final String listExecutions = "SELECT shard_id, namespace_id, workflow_id, run_id FROM executions";
    public final String listNamespaceExecutions = "SELECT shard_id, namespace_id, workflow_id, run_id FROM executions"
            + " WHERE shard_id = ? AND namespace_id = ? AND (workflow_id, run_id) > (?, ?) ORDER BY workflow_id, run_id LIMIT ?";
    public final String deleteNamespaceTasks = "DELETE FROM tasks WHERE namespace_id = ?";
    public final String deleteNamespaceTaskQueues = "DELETE FROM task_queues WHERE namespace_id = ?";
    public final String insertExecution =
            "INSERT INTO executions (shard_id, namespace_id, workflow_id, run_id, next_event_id, db_version, state) VALUES (?, ?, ?, ?, ?, ?, ?)";
    public final String updateExecution = "UPDATE executions SET next_event_id = ?, db_version = ?, state = ?"
            + " WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ? AND db_version = ?";
    public final String insertHistory = "INSERT INTO history_events (shard_id, namespace_id, workflow_id, run_id, first_event_id, last_event_id, batch)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    public final String readHistory = "SELECT batch FROM history_events WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?"
            + " AND last_event_id >= ? AND first_event_id < ? ORDER BY first_event_id";
    public final String deleteExecution = "DELETE FROM executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?";
    public final String deleteHistory = "DELETE FROM history_events WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?";
    public final String deleteCurrent = "DELETE FROM current_executions WHERE shard_id = ? AND namespace_id = ? AND workflow_id = ? AND run_id = ?";

    // ---- history tasks (outbox) of every category, and their dead-letter queue
    public final String insertHistoryTask = "INSERT INTO history_tasks (shard_id, category_id, fire_time, task_id, data) VALUES (?, ?, ?, ?, ?)";
    public final String readHistoryTasks = "SELECT fire_time, task_id, data FROM history_tasks"
            + " WHERE shard_id = ? AND category_id = ? AND (fire_time, task_id) >= (?, ?) AND fire_time < ? ORDER BY fire_time, task_id LIMIT ?";
    public final String trimHistoryTasks = "DELETE FROM history_tasks WHERE shard_id = ? AND category_id = ? AND (fire_time, task_id) < (?, ?)";
    public final String putDeadLetter;
    public final String listDeadLetters = "SELECT shard_id, category_id, fire_time, task_id, data, attempts, last_error, added_time"
            + " FROM history_task_dlq WHERE (? = 0 OR shard_id = ?) ORDER BY shard_id, category_id, fire_time, task_id LIMIT ?";
    public final String selectDeadLetter = "SELECT data, attempts, last_error, added_time FROM history_task_dlq"
            + " WHERE shard_id = ? AND category_id = ? AND fire_time = ? AND task_id = ?";
    public final String deleteDeadLetter = "DELETE FROM history_task_dlq WHERE shard_id = ? AND category_id = ? AND fire_time = ? AND task_id = ?";

    // ---- namespaces
    public final String insertNamespace = "INSERT INTO namespaces (id, name, data) VALUES (?, ?, ?)";
    public final String namespaceById = "SELECT data FROM namespaces WHERE id = ?";
    public final String namespaceByName = "SELECT data FROM namespaces WHERE name = ?";
    public final String listNamespaces = "SELECT data FROM namespaces ORDER BY name";
    /** Conditional on the record read: a concurrent change makes it update nothing. */
    public final String updateNamespace = "UPDATE namespaces SET data = ?, name = ? WHERE id = ? AND data = ?";
    public final String deleteNamespace = "DELETE FROM namespaces WHERE id = ?";

    // ---- task queues (matching): a partition's lease and its backlog
    public final String bumpTaskQueueLease = "UPDATE task_queues SET range_id = range_id + 1 WHERE namespace_id = ? AND name = ? AND task_type = ?";
    public final String insertTaskQueue = "INSERT INTO task_queues (namespace_id, name, task_type, range_id) VALUES (?, ?, ?, 1)";
    public final String selectTaskQueueLease = "SELECT range_id FROM task_queues WHERE namespace_id = ? AND name = ? AND task_type = ?";
    public final String fenceTaskQueue;
    public final String insertQueueTask = "INSERT INTO tasks (namespace_id, task_queue, task_type, task_id, data) VALUES (?, ?, ?, ?, ?)";
    public final String readQueueTasks = "SELECT task_id, data FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ?"
            + " AND task_id > ? AND task_id < ? ORDER BY task_id LIMIT ?";
    public final String maxQueueTaskId = "SELECT COALESCE(MAX(task_id), 0) FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ?";
    /** The backlog's size and its oldest task, in one statement so that both are of the same moment. */
    public final String queueBacklog = "SELECT COUNT(*), (SELECT data FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ?"
            + " ORDER BY task_id LIMIT 1) FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ?";
    public final String deleteQueueTask = "DELETE FROM tasks WHERE namespace_id = ? AND task_queue = ? AND task_type = ? AND task_id = ?";

    // ---- cluster metadata
    public final String selectClusterValue = "SELECT value FROM cluster_metadata WHERE name = ?";
    public final String insertClusterValue = "INSERT INTO cluster_metadata (name, value) VALUES (?, ?)";

    // ---- visibility: one record per run, written by the visibility queue
    public static final java.util.List<String> VISIBILITY_COLUMNS = java.util.List.of("namespace_id", "run_id", "workflow_id",
            "workflow_type_name", "status", "start_time", "execution_time", "close_time", "execution_duration", "history_length",
            "history_size_bytes", "state_transition_count", "task_queue", "parent_workflow_id", "parent_run_id",
            "root_workflow_id", "root_run_id", "memo", "search_attributes_proto", "search_attributes", "version");
    public final String upsertVisibility;
    public final String deleteVisibility = "DELETE FROM executions_visibility WHERE namespace_id = ? AND run_id = ?";
    public final String runsWithoutVisibility = "SELECT e.shard_id, e.namespace_id, e.workflow_id, e.run_id FROM executions e"
            + " WHERE (e.shard_id, e.namespace_id, e.workflow_id, e.run_id) > (?, ?, ?, ?)"
            + " AND NOT EXISTS (SELECT 1 FROM executions_visibility v WHERE v.namespace_id = e.namespace_id AND v.run_id = e.run_id)"
            + " ORDER BY e.shard_id, e.namespace_id, e.workflow_id, e.run_id LIMIT ?";
    public final String deleteNamespaceVisibility = "DELETE FROM executions_visibility WHERE namespace_id = ?";
    public final String selectVisibility = "SELECT " + String.join(", ", VISIBILITY_COLUMNS) + ", close_time_sort FROM executions_visibility";
    public final String countVisibility = "SELECT COUNT(*) FROM executions_visibility";
    public final String countVisibilityByStatus = "SELECT status, COUNT(*) FROM executions_visibility";

    public Sql(SqlDialect dialect) {
        this.dialect = dialect;
        this.fenceShard = "SELECT range_id FROM shards WHERE shard_id = ?" + dialect.lockRow();
        this.fenceTaskQueue = selectTaskQueueLease + dialect.lockRow();
        this.putDeadLetter = dialect.insertOrReplace("history_task_dlq", java.util.List.of("shard_id", "category_id", "fire_time", "task_id",
                "data", "attempts", "last_error", "added_time"), java.util.List.of("shard_id", "category_id", "fire_time", "task_id"));
        this.upsertVisibility = dialect.upsertIfNewer("executions_visibility", VISIBILITY_COLUMNS, java.util.List.of("namespace_id", "run_id"), "version");
    }
}
