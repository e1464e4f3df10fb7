package io.tempora.matching;

import io.grpc.Status;
import io.tempora.common.proto.MatchingTask;
import io.tempora.common.rpc.AddTaskRequest;
import io.tempora.common.rpc.TaskRecorder;
import io.tempora.common.rpc.MatchingService.StickyWorkerUnavailableException;
import io.tempora.persistence.Database;
import io.tempora.persistence.TaskStore;
import io.tempora.persistence.sql.SqliteDatabase;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A matching engine on a real SQLite file, with a stand-in for history that "records" every task as started, except
 * query tasks whose caller is gone (NOT_FOUND, as history answers). A poll's result is the task's workflow id.
 */
final class MatchingHarness implements AutoCloseable {
    static final String NS = "ns-test";

    final Path dbFile;
    final Database db;
    final TaskStore store;
    /** Query ids whose caller gave up: history answers NOT_FOUND for them. */
    final Set<String> abandonedQueries = ConcurrentHashMap.newKeySet();
    /** The engine's idea of now, for idle unloading. */
    final AtomicLong clock = new AtomicLong(1_000_000);
    final MatchingEngine engine;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    MatchingHarness(Path dir, MatchingConfig config) {
        this.dbFile = dir.resolve("matching.db");
        this.db = SqliteDatabase.open(dbFile);
        this.store = new TaskStore(db);
        this.engine = new MatchingEngine(store, new StartedRecorder(), config, clock::get);
    }

    /** Another engine on the same table, as another node would be. */
    MatchingEngine otherEngine() {
        return new MatchingEngine(store, new StartedRecorder(), MatchingConfig.defaults(), clock::get);
    }

    static MatchingConfig config(long idleMs, int batchSize) {
        return new MatchingConfig(idleMs, batchSize, 100);
    }

    static MatchingTask task(String workflowId) {
        return MatchingTask.newBuilder().setNamespaceId(NS).setWorkflowId(workflowId).setRunId("run-" + workflowId)
                .setScheduledEventId(2).setCreateTimeMs(System.currentTimeMillis()).build();
    }

    static MatchingTask query(String workflowId, String queryId) {
        return task(workflowId).toBuilder().setQueryId(queryId).build();
    }

    void add(String queue, String workflowId) {
        try {
            engine.addTask(new AddTaskRequest(NS, queue, false, false, task(workflowId)));
        } catch (StickyWorkerUnavailableException e) {
            throw new AssertionError(e);
        }
    }

    void addSticky(String queue, MatchingTask task) throws StickyWorkerUnavailableException {
        engine.addTask(new AddTaskRequest(NS, queue, false, true, task));
    }

    /** Polls a workflow task queue for up to {@code timeoutMs}; the task's workflow id, or null when it timed out. */
    String poll(String queue, long timeoutMs) {
        PollWorkflowTaskQueueResponse r = engine.pollWorkflowTaskQueue(NS, PollWorkflowTaskQueueRequest.newBuilder()
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build(), System.currentTimeMillis() + timeoutMs);
        return r.hasWorkflowExecution() ? r.getWorkflowExecution().getWorkflowId() : null;
    }

    CompletableFuture<String> pollAsync(String queue, long timeoutMs) {
        return CompletableFuture.supplyAsync(() -> poll(queue, timeoutMs), threads);
    }

    /** Tasks the partition holds in memory, -1 when it is not loaded. */
    int inMemory(String queue) {
        return engine.tasksInMemory(NS, queue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW);
    }

    boolean loaded(String queue) {
        return inMemory(queue) >= 0;
    }

    /** Backlog rows of a queue in the table. */
    int rows(String queue) {
        return db.read(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM tasks WHERE namespace_id = ? AND task_queue = ?")) {
                ps.setString(1, NS);
                ps.setString(2, queue);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public void close() {
        threads.shutdownNow();
        db.close();
    }

    private final class StartedRecorder implements TaskRecorder {
        @Override
        public PollWorkflowTaskQueueResponse recordWorkflowTaskStarted(String namespaceId, MatchingTask task, PollWorkflowTaskQueueRequest poll) {
            if (abandonedQueries.contains(task.getQueryId())) {
                throw Status.NOT_FOUND.withDescription("query caller is gone").asRuntimeException();
            }
            return PollWorkflowTaskQueueResponse.newBuilder()
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(task.getWorkflowId()).setRunId(task.getRunId()))
                    .build();
        }

        @Override
        public PollActivityTaskQueueResponse recordActivityTaskStarted(String namespaceId, MatchingTask task, PollActivityTaskQueueRequest poll) {
            return PollActivityTaskQueueResponse.newBuilder()
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(task.getWorkflowId()).setRunId(task.getRunId()))
                    .build();
        }
    }
}
