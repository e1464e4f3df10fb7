package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.TransferTaskType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * History tasks that keep failing are moved to the dead-letter queue after the configured attempts while the queue
 * goes on; `tempora dlq` lists them and re-runs or purges them on the running server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadLetterQueueTest {

    @WorkflowInterface
    public interface Waits {
        @WorkflowMethod
        String run();
    }

    public static class WaitsImpl implements Waits {
        @Override
        public String run() {
            Workflow.sleep(Duration.ofMillis(200));
            return "done";
        }
    }

    private record Run(int shardId, String namespaceId, String workflowId, String runId) {}

    private static Run runOf(Connection c, String workflowId) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT shard_id, namespace_id, run_id FROM executions WHERE workflow_id = ?")) {
            ps.setString(1, workflowId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new Run(rs.getInt(1), rs.getString(2), workflowId, rs.getString(3));
            }
        }
    }

    private static void insert(Connection c, String table, int shardId, long taskId, byte[] data, String extraColumns, String extraValues)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (shard_id, category_id, fire_time, task_id, data" + extraColumns
                + ") VALUES (?, 1, 0, ?, ?" + extraValues + ")")) {
            ps.setInt(1, shardId);
            ps.setLong(2, taskId);
            ps.setBytes(3, data);
            ps.executeUpdate();
        }
    }

    private static String dlq(TemporaProcess server, String... args) throws Exception {
        String[] full = new String[args.length + 3];
        full[0] = "dlq";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--address";
        full[args.length + 2] = server.target();
        var result = TemporaProcess.runCli(full);
        return result.exitCode() + "\n" + result.output();
    }

    /** Dead letters listed: one line "shard N category task ID ..." each. */
    private static long entries(String listing) {
        return listing.lines().filter(l -> l.startsWith("shard ")).count();
    }

    @Test
    void failingTasksAreDeadLetteredAndCanBeListedRerunAndPurged() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("dlq").withArgs("--dynamic-config-value", "history.TaskDLQUnexpectedErrorAttempts=2")) {
            server.start();
            String id = "dlq-" + TemporaFixture.shortId();
            WorkflowServiceStubs stubs = TemporaFixture.newStubs(server.target());
            WorkflowClient client = TemporaFixture.newClient(stubs);
            String taskQueue = "tq-" + id;
            WorkflowClient.start(client.newWorkflowStub(Waits.class, io.temporal.client.WorkflowOptions.newBuilder()
                    .setWorkflowId(id).setTaskQueue(taskQueue).build())::run);
            TemporaFixture.closeStubs(stubs);
            server.kill();

            // Tasks that cannot succeed, written while the server is down: one that does not parse, one of no known type.
            long base = 1L << 50;
            try (Connection c = DriverManager.getConnection(server.jdbcUrl())) {
                Run run = runOf(c, id);
                insert(c, "history_tasks", run.shardId(), base + 1, new byte[] {(byte) 0xff, 0x01, 0x02}, "", "");
                TransferTask unknown = TransferTask.newBuilder().setTaskId(base + 2).setType(TransferTaskType.TRANSFER_TASK_TYPE_UNSPECIFIED)
                        .setNamespaceId(run.namespaceId()).setWorkflowId(run.workflowId()).setRunId(run.runId()).build();
                insert(c, "history_tasks", run.shardId(), base + 2, unknown.toByteArray(), "", "");
                // And one already parked that can succeed when re-run: dispatching the run's pending workflow task.
                TransferTask dispatch = TransferTask.newBuilder().setTaskId(base + 3).setType(TransferTaskType.TRANSFER_TASK_TYPE_WORKFLOW_TASK)
                        .setNamespaceId(run.namespaceId()).setWorkflowId(run.workflowId()).setRunId(run.runId()).build();
                insert(c, "history_task_dlq", run.shardId(), base + 3, dispatch.toByteArray(), ", attempts, last_error, added_time",
                        ", 5, 'injected', 0");
            }
            server.start();

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> entries(dlq(server, "list")) == 3);
            String listed = dlq(server, "list");
            assertThat(listed).startsWith("0\n").contains("task " + (base + 1)).contains("attempts=0")
                    .contains("task " + (base + 2)).contains("attempts=2").contains("task " + (base + 3));

            // The queue went on: the run's own tasks still complete it once a worker polls.
            WorkflowServiceStubs stubs2 = TemporaFixture.newStubs(server.target());
            WorkflowClient client2 = TemporaFixture.newClient(stubs2);
            WorkerFactory factory = WorkerFactory.newInstance(client2);
            factory.newWorker(taskQueue).registerWorkflowImplementationTypes(WaitsImpl.class);
            factory.start();
            try {
                assertThat(client2.newUntypedWorkflowStub(id).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("done");

                int shard = runOf(DriverManager.getConnection(server.jdbcUrl()), id).shardId();
                assertThat(dlq(server, "rerun", "--shard", String.valueOf(shard), "--task-id", String.valueOf(base + 3)))
                        .startsWith("0\n").contains("re-ran shard " + shard + " transfer task " + (base + 3));
                assertThat(dlq(server, "rerun", "--all")).as("tasks that still fail stay").startsWith("1\n").contains("failed");
                assertThat(entries(dlq(server, "list"))).isEqualTo(2);
                assertThat(dlq(server, "purge", "--all")).startsWith("0\n").contains("purged");
                assertThat(dlq(server, "list")).contains("no dead-lettered tasks");
            } finally {
                TemporaFixture.stopFactory(factory);
                TemporaFixture.closeStubs(stubs2);
            }
        }
    }
}
