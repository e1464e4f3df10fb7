package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.UpdateNamespaceInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DeprecateNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** UpdateNamespace, DeprecateNamespace and paged ListNamespaces, as the official namespace handler answers them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NamespaceUpdateTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    private static String register() {
        String name = "ns-" + TemporaFixture.shortId();
        tempora.service().blockingStub().registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name)
                .setDescription("first").setOwnerEmail("a@example.com").putData("k1", "v1")
                .setWorkflowExecutionRetentionPeriod(Duration.newBuilder().setSeconds(2 * 86400)).build());
        return name;
    }

    private static DescribeNamespaceResponse describe(String name) {
        return tempora.service().blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build());
    }

    @Test
    void anUpdateChangesWhatItSetsAndMergesData() {
        String name = register();
        UpdateNamespaceResponse response = tempora.service().blockingStub().updateNamespace(UpdateNamespaceRequest.newBuilder()
                .setNamespace(name)
                .setUpdateInfo(UpdateNamespaceInfo.newBuilder().setDescription("second").putData("k2", "v2"))
                .setConfig(NamespaceConfig.newBuilder().setWorkflowExecutionRetentionTtl(Duration.newBuilder().setSeconds(3 * 86400)))
                .build());
        assertThat(response.getNamespaceInfo().getDescription()).isEqualTo("second");

        DescribeNamespaceResponse d = describe(name);
        assertThat(d.getNamespaceInfo().getDescription()).isEqualTo("second");
        assertThat(d.getNamespaceInfo().getOwnerEmail()).as("an empty owner leaves it").isEqualTo("a@example.com");
        assertThat(d.getNamespaceInfo().getDataMap()).containsEntry("k1", "v1").containsEntry("k2", "v2");
        assertThat(d.getConfig().getWorkflowExecutionRetentionTtl().getSeconds()).isEqualTo(3 * 86400);

        StatusRuntimeException tooShort = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace(name)
                        .setConfig(NamespaceConfig.newBuilder().setWorkflowExecutionRetentionTtl(Duration.newBuilder().setSeconds(60))).build()));
        assertThat(tooShort.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace("no-such-namespace").build()));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aDeprecatedNamespaceSaysSo() {
        String name = register();
        tempora.service().blockingStub().deprecateNamespace(DeprecateNamespaceRequest.newBuilder().setNamespace(name).build());
        assertThat(describe(name).getNamespaceInfo().getState()).isEqualTo(NamespaceState.NAMESPACE_STATE_DEPRECATED);
        StatusRuntimeException back = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .updateNamespace(UpdateNamespaceRequest.newBuilder().setNamespace(name)
                        .setUpdateInfo(UpdateNamespaceInfo.newBuilder().setState(NamespaceState.NAMESPACE_STATE_REGISTERED)).build()));
        assertThat(back.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(back.getStatus().getDescription()).isEqualTo("Invalid namespace state update.");

        // No new run starts in it, other calls still work (the official namespace validator's states per API).
        StatusRuntimeException start = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace(name).setWorkflowId("w")
                        .setWorkflowType(WorkflowType.newBuilder().setName("T")).setTaskQueue(TaskQueue.newBuilder().setName("q"))
                        .setRequestId(java.util.UUID.randomUUID().toString()).build()));
        assertThat(start.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(start.getStatus().getDescription())
                .isEqualTo("Namespace has invalid state: NAMESPACE_STATE_DEPRECATED. Must be NAMESPACE_STATE_REGISTERED.");
        assertThat(tempora.service().blockingStub().countWorkflowExecutions(CountWorkflowExecutionsRequest.newBuilder()
                .setNamespace(name).build()).getCount()).isZero();
    }

    @Test
    void namespacesAreListedInPages() {
        for (int i = 0; i < 5; i++) {
            register();
        }
        List<String> names = new ArrayList<>();
        ByteString token = ByteString.EMPTY;
        int pages = 0;
        do {
            ListNamespacesResponse page = tempora.service().blockingStub().listNamespaces(ListNamespacesRequest.newBuilder()
                    .setPageSize(2).setNextPageToken(token).build());
            assertThat(page.getNamespacesCount()).isLessThanOrEqualTo(2);
            page.getNamespacesList().forEach(n -> names.add(n.getNamespaceInfo().getName()));
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(names).doesNotHaveDuplicates().contains(TemporaFixture.NAMESPACE).hasSizeGreaterThanOrEqualTo(6);
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }
}
