package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A closed run is deleted once its namespace's retention is over, by a durable timer: its state, history, current
 * row and visibility record go, running runs stay; the timer survives a kill of the server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetentionTest {
    private static final Map<String, String> SHORT_RETENTION = Map.of(
            "system.namespaceMinRetentionLocal", "1s", "history.retentionTimerJitterDuration", "0");

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture(io.tempora.common.Limits.defaults().withOverrides(SHORT_RETENTION));

    @WorkflowInterface
    public interface Quick {
        @WorkflowMethod
        String run();
    }

    public static class QuickImpl implements Quick {
        @Override
        public String run() {
            return "done";
        }
    }

    private static String registerNamespace(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, long retentionSeconds) {
        String name = "retention-" + TemporaFixture.shortId();
        stub.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                .setWorkflowExecutionRetentionPeriod(Duration.newBuilder().setSeconds(retentionSeconds)).build());
        return name;
    }

    private static StartWorkflowExecutionResponse start(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String namespace, String id,
                                                        WorkflowIdReusePolicy reuse) {
        return stub.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace).setWorkflowId(id)
                .setWorkflowType(WorkflowType.newBuilder().setName("Anything")).setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls"))
                .setWorkflowIdReusePolicy(reuse).setIdentity(TemporaFixture.IDENTITY).setRequestId(UUID.randomUUID().toString()).build());
    }

    private static void terminate(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String namespace, String id) {
        stub.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).setReason("test").build());
    }

    private static Status.Code describeCode(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String namespace, String id, String runId) {
        try {
            stub.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(namespace)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(runId)).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    private static long count(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String namespace, String query) {
        return stub.countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder().setNamespace(namespace).setQuery(query).build())
                .getCount();
    }

    @Test
    void aRetentionBelowTheMinimumIsRefusedAsTheOfficialServerDoes() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace("retention-short-" + TemporaFixture.shortId())
                        .setWorkflowExecutionRetentionPeriod(Duration.newBuilder().setNanos(500_000_000)).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("A valid retention period is not set on request.");
    }

    @Test
    void closedRunsAreDeletedAfterTheRetentionAndRunningOnesStay() {
        var stub = tempora.service().blockingStub();
        String ns = registerNamespace(stub, 2);
        // One run completed by a worker, one terminated, one left running.
        WorkflowClient client = WorkflowClient.newInstance(tempora.service(), WorkflowClientOptions.newBuilder().setNamespace(ns).build());
        WorkerFactory factory = WorkerFactory.newInstance(client);
        try {
            Worker worker = factory.newWorker(tempora.taskQueue());
            worker.registerWorkflowImplementationTypes(QuickImpl.class);
            factory.start();
            String completedId = tempora.workflowId("completed");
            Quick quick = client.newWorkflowStub(Quick.class, WorkflowOptions.newBuilder().setTaskQueue(tempora.taskQueue())
                    .setWorkflowId(completedId).build());
            assertThat(quick.run()).isEqualTo("done");
            String completedRun = stub.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(ns)
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(completedId)).build())
                    .getWorkflowExecutionInfo().getExecution().getRunId();

            String terminatedId = tempora.workflowId("terminated");
            String terminatedRun = start(stub, ns, terminatedId, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).getRunId();
            terminate(stub, ns, terminatedId);
            String runningId = tempora.workflowId("running");
            String runningRun = start(stub, ns, runningId, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).getRunId();

            assertThat(describeCode(stub, ns, completedId, completedRun)).isEqualTo(Status.Code.OK);
            Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200)).untilAsserted(() -> {
                assertThat(describeCode(stub, ns, completedId, completedRun)).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(describeCode(stub, ns, terminatedId, terminatedRun)).isEqualTo(Status.Code.NOT_FOUND);
                assertThat(count(stub, ns, "ExecutionStatus != 'Running'")).as("visibility records of the closed runs").isZero();
            });
            StatusRuntimeException history = catchThrowableOfType(StatusRuntimeException.class, () -> stub.getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(ns)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(completedId).setRunId(completedRun)).build()));
            assertThat(history.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(describeCode(stub, ns, runningId, runningRun)).isEqualTo(Status.Code.OK);
            assertThat(count(stub, ns, "ExecutionStatus = 'Running'")).isEqualTo(1);
            // The current row went with the run: its id starts again even where a closed run would refuse it.
            assertThat(start(stub, ns, terminatedId, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE).getRunId())
                    .isNotEqualTo(terminatedRun);
        } finally {
            TemporaFixture.stopFactory(factory);
        }
    }

    @Test
    void theDeletionTimerSurvivesAKill() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("retention-kill").withArgs(
                "--dynamic-config-value", "system.namespaceMinRetentionLocal=1s",
                "--dynamic-config-value", "history.retentionTimerJitterDuration=0")) {
            server.start();
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                var stub = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                String ns = registerNamespace(stub, 10); // longer than a restart takes on every backend
                String runId = start(stub, ns, "doomed", WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE).getRunId();
                terminate(stub, ns, "doomed");
                server.kill(); // the deletion timer is committed with the close, seconds before it is due
                server.start();
                var after = WorkflowServiceGrpc.newBlockingStub(channel);
                assertThat(describeCode(after.withDeadlineAfter(10, TimeUnit.SECONDS), ns, "doomed", runId)).isEqualTo(Status.Code.OK);
                Awaitility.await().atMost(java.time.Duration.ofSeconds(40)).pollInterval(java.time.Duration.ofMillis(200)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(describeCode(after.withDeadlineAfter(5, TimeUnit.SECONDS), ns, "doomed", runId))
                                .isEqualTo(Status.Code.NOT_FOUND));
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
