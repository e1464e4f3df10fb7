package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A visibility task commits with its transition: runs whose start was acknowledged just before a SIGKILL, before their
 * records were written, are all found after the restart.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VisibilityKillTest {
    private static final int STARTS = 200;

    @Test
    void recordsOfAcknowledgedStartsAppearAfterAKill() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("visibility-kill")) {
            server.start();
            String queue = "vis-kill-" + TemporaFixture.shortId();
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                var stub = WorkflowServiceGrpc.newBlockingStub(channel);
                for (int i = 0; i < STARTS; i++) {
                    stub.withDeadlineAfter(30, TimeUnit.SECONDS).startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                            .setNamespace(TemporaFixture.NAMESPACE).setWorkflowId("vis-" + i)
                            .setWorkflowType(WorkflowType.newBuilder().setName("Anything"))
                            .setTaskQueue(TaskQueue.newBuilder().setName(queue)).setIdentity(TemporaFixture.IDENTITY)
                            .setRequestId(UUID.randomUUID().toString()).build());
                }
                server.kill(); // right after the last acknowledgement: its visibility task may not have run yet
                server.start();
                CountWorkflowExecutionsRequest count = CountWorkflowExecutionsRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                        .setQuery("TaskQueue = '" + queue + "' AND ExecutionStatus = 'Running'").build();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(WorkflowServiceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(5, TimeUnit.SECONDS).countWorkflowExecutions(count).getCount()).isEqualTo(STARTS));
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
