package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs of a database from before visibility (no records) get their records when the server starts on it. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VisibilityBackfillTest {
    private static final int RUNS = 30;

    @Test
    void runsWithoutRecordsAreWrittenOnceAtStart() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("visibility-backfill")) {
            server.start();
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                var stub = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                for (int i = 0; i < RUNS; i++) {
                    stub.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                            .setWorkflowId("old-" + i).setWorkflowType(WorkflowType.newBuilder().setName("Old"))
                            .setTaskQueue(TaskQueue.newBuilder().setName("old-queue")).setRequestId(UUID.randomUUID().toString()).build());
                }
                CountWorkflowExecutionsRequest count = CountWorkflowExecutionsRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                        .setQuery("WorkflowType = 'Old'").build();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stub.countWorkflowExecutions(count).getCount() == RUNS);
                server.kill();
                // What a database from before visibility looks like: runs, no records, the backfill never done.
                try (Connection c = DriverManager.getConnection(server.jdbcUrl()); Statement st = c.createStatement()) {
                    st.executeUpdate("DELETE FROM executions_visibility");
                    st.executeUpdate("DELETE FROM cluster_metadata WHERE name = 'visibility_backfill'");
                }
                server.start();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .countWorkflowExecutions(count).getCount()).isEqualTo(RUNS));
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
