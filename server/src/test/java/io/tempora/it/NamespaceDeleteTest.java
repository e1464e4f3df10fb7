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
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.errordetails.v1.NamespaceInvalidStateFailure;
import io.temporal.api.operatorservice.v1.DeleteNamespaceRequest;
import io.temporal.api.operatorservice.v1.DeleteNamespaceResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OperatorService DeleteNamespace as the official server answers it: the namespace is renamed and marked deleted at
 * once; its runs (running ones too), their histories and visibility records, and then the namespace itself are
 * deleted in the background, also after a kill.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamespaceDeleteTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    private static String register(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub) {
        String name = "doomed-" + TemporaFixture.shortId();
        stub.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                .setWorkflowExecutionRetentionPeriod(Duration.newBuilder().setSeconds(86400)).build());
        return name;
    }

    private static StartWorkflowExecutionRequest start(String namespace, String id) {
        return StartWorkflowExecutionRequest.newBuilder().setNamespace(namespace).setWorkflowId(id)
                .setWorkflowType(WorkflowType.newBuilder().setName("Anything")).setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls"))
                .setIdentity(TemporaFixture.IDENTITY).setRequestId(UUID.randomUUID().toString()).build();
    }

    /** Rows of the namespace left in a table, read from the database file as it is. */
    private static long rows(String jdbcUrl, String table, String namespaceId) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE namespace_id = ?")) {
            ps.setString(1, namespaceId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Status.Code describeNamespaceCode(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String name) {
        try {
            stub.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build());
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void aDeletedNamespaceIsRenamedAtOnceAndItsRunsAndItselfGoInTheBackground() throws Exception {
        var stub = tempora.service().blockingStub();
        String name = register(stub);
        String id = stub.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build()).getNamespaceInfo().getId();
        for (int i = 0; i < 20; i++) {
            stub.startWorkflowExecution(start(name, "run-" + i));
        }
        stub.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(name)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId("run-0")).build());
        Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> rows(tempora.jdbcUrl(), "executions_visibility", id) == 20);

        var operator = OperatorServiceGrpc.newBlockingStub(tempora.service().getRawChannel());
        DeleteNamespaceResponse response = operator.deleteNamespace(DeleteNamespaceRequest.newBuilder().setNamespace(name)
                .setNamespaceDeleteDelay(Duration.newBuilder().setSeconds(2)).build());
        String renamed = name + "-deleted-" + id.substring(0, 5);
        assertThat(response.getDeletedNamespace()).isEqualTo(renamed);

        // At once: the old name is free, the renamed namespace is DELETED and refuses work.
        assertThat(describeNamespaceCode(stub, name)).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(stub.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(renamed).build()).getNamespaceInfo().getState())
                .isEqualTo(NamespaceState.NAMESPACE_STATE_DELETED);
        StatusRuntimeException signal = catchThrowableOfType(StatusRuntimeException.class, () -> stub.signalWorkflowExecution(
                SignalWorkflowExecutionRequest.newBuilder().setNamespace(renamed).setSignalName("s")
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId("run-1")).build()));
        assertThat(signal.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(signal.getStatus().getDescription()).isEqualTo(
                "Namespace has invalid state: NAMESPACE_STATE_DELETED. Must be NAMESPACE_STATE_REGISTERED or NAMESPACE_STATE_DEPRECATED.");
        NamespaceInvalidStateFailure detail = io.grpc.protobuf.StatusProto.fromThrowable(signal).getDetails(0).unpack(NamespaceInvalidStateFailure.class);
        assertThat(detail.getState()).isEqualTo(NamespaceState.NAMESPACE_STATE_DELETED);
        StatusRuntimeException again = catchThrowableOfType(StatusRuntimeException.class, () -> stub.startWorkflowExecution(start(renamed, "x")));
        assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        // The name can be registered again at once: a new namespace, none of the old runs.
        stub.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                .setWorkflowExecutionRetentionPeriod(Duration.newBuilder().setSeconds(86400)).build());

        // In the background: runs, histories, visibility records, then (after the 2 s delay) the namespace.
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(rows(tempora.jdbcUrl(), "executions", id)).isZero();
            assertThat(rows(tempora.jdbcUrl(), "current_executions", id)).isZero();
            assertThat(rows(tempora.jdbcUrl(), "history_events", id)).isZero();
            assertThat(rows(tempora.jdbcUrl(), "executions_visibility", id)).isZero();
            assertThat(rows(tempora.jdbcUrl(), "tasks", id)).as("the workflow tasks nobody polled").isZero();
            assertThat(rows(tempora.jdbcUrl(), "task_queues", id)).isZero();
            assertThat(describeNamespaceCode(stub, renamed)).isEqualTo(Status.Code.NOT_FOUND);
        });
        assertThat(describeNamespaceCode(stub, name)).as("the namespace registered under the old name").isEqualTo(Status.Code.OK);
    }

    @Test
    void updatingTheStateToDeletedOnlyMarksIt() throws Exception {
        var stub = tempora.service().blockingStub();
        String name = register(stub);
        String id = stub.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build()).getNamespaceInfo().getId();
        stub.startWorkflowExecution(start(name, "kept"));
        stub.updateNamespace(io.temporal.api.workflowservice.v1.UpdateNamespaceRequest.newBuilder().setNamespace(name)
                .setUpdateInfo(io.temporal.api.namespace.v1.UpdateNamespaceInfo.newBuilder().setState(NamespaceState.NAMESPACE_STATE_DELETED))
                .build());
        Thread.sleep(4_000); // several reclaimer passes
        assertThat(rows(tempora.jdbcUrl(), "executions", id)).as("the official server reclaims only after DeleteNamespace").isEqualTo(1);
        assertThat(stub.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build()).getNamespaceInfo().getState())
                .isEqualTo(NamespaceState.NAMESPACE_STATE_DELETED);
        // ... and DeleteNamespace of it then does the work.
        OperatorServiceGrpc.newBlockingStub(tempora.service().getRawChannel()).deleteNamespace(
                DeleteNamespaceRequest.newBuilder().setNamespace(name).build());
        Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(rows(tempora.jdbcUrl(), "executions", id)).isZero());
    }

    @Test
    void badDeleteRequestsGetTheOfficialErrors() {
        var operator = OperatorServiceGrpc.newBlockingStub(tempora.service().getRawChannel());
        StatusRuntimeException none = catchThrowableOfType(StatusRuntimeException.class,
                () -> operator.deleteNamespace(DeleteNamespaceRequest.getDefaultInstance()));
        assertThat(none.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(none.getStatus().getDescription()).isEqualTo("Namespace not set on request.");
        StatusRuntimeException both = catchThrowableOfType(StatusRuntimeException.class,
                () -> operator.deleteNamespace(DeleteNamespaceRequest.newBuilder().setNamespace("a").setNamespaceId("b").build()));
        assertThat(both.getStatus().getDescription()).isEqualTo("Only one of namespace name or Id should be set on request.");
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class,
                () -> operator.deleteNamespace(DeleteNamespaceRequest.newBuilder().setNamespace("no-such-namespace").build()));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(unknown.getStatus().getDescription()).isEqualTo("Namespace no-such-namespace is not found.");
    }

    @Test
    void theDeletionGoesOnAfterAKill() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("namespace-delete-kill")) {
            server.start();
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            try {
                var stub = WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                String name = register(stub);
                String id = stub.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build()).getNamespaceInfo().getId();
                for (int i = 0; i < 50; i++) {
                    stub.startWorkflowExecution(start(name, "run-" + i));
                }
                OperatorServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .deleteNamespace(DeleteNamespaceRequest.newBuilder().setNamespace(name).build());
                server.kill(); // before the reclaimer's first pass
                server.start();
                Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(200)).untilAsserted(() -> {
                    assertThat(rows(server.jdbcUrl(), "executions", id)).isZero();
                    assertThat(rows(server.jdbcUrl(), "executions_visibility", id)).isZero();
                    assertThat(describeNamespaceCode(WorkflowServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS),
                            name + "-deleted-" + id.substring(0, 5))).isEqualTo(Status.Code.NOT_FOUND);
                });
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
