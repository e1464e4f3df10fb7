package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesResponse;
import io.temporal.api.operatorservice.v1.OperatorServiceGrpc;
import io.temporal.api.operatorservice.v1.RemoveSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OperatorService search attributes: a durable registry per namespace, and starts and upserts checked against it
 * with the official errors; values read back typed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SearchAttributesTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final SearchAttributeKey<Long> SHOE_SIZE = SearchAttributeKey.forLong("ShoeSize");

    @WorkflowInterface
    public interface Tagger {
        @WorkflowMethod
        String run(String attribute);
    }

    public static class TaggerImpl implements Tagger {
        @Override
        public String run(String attribute) {
            if (!attribute.isEmpty()) {
                Workflow.upsertSearchAttributes(Map.of(attribute, "value"));
            }
            Workflow.sleep(Duration.ofMillis(10));
            return String.valueOf(Workflow.getTypedSearchAttributes().get(SHOE_SIZE));
        }
    }

    private OperatorServiceStubs operator;

    @BeforeEach
    void setUp() {
        operator = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                .setTarget(tempora.target()).validateAndBuildWithDefaults());
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(TaggerImpl.class);
        tempora.startWorkers();
    }

    @AfterEach
    void tearDown() {
        operator.shutdownNow();
    }

    private OperatorServiceGrpc.OperatorServiceBlockingStub ops() {
        return operator.blockingStub();
    }

    private ListSearchAttributesResponse list() {
        return ops().listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE).build());
    }

    /** The gRPC status a call failed with (directly, or as the cause of an SDK exception). */
    private static StatusRuntimeException failure(Runnable call) {
        Throwable t = catchThrowableOfType(RuntimeException.class, call::run);
        assertThat(t).as("the call fails").isNotNull();
        while (t != null && !(t instanceof StatusRuntimeException)) {
            t = t.getCause();
        }
        assertThat(t).as("a gRPC status in the cause chain").isNotNull();
        return (StatusRuntimeException) t;
    }

    private static void assertInvalid(StatusRuntimeException e, String message) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo(message);
    }

    @Test
    void addedAttributeIsListedAndItsValuesReadBackTyped() throws Exception {
        assertThat(list().getSystemAttributesMap()).containsEntry("WorkflowId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .containsEntry("StartTime", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME)
                .containsEntry("TemporalChangeVersion", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);
        assertThat(list().getCustomAttributesMap()).containsEntry("CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

        ops().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .putSearchAttributes("ShoeSize", IndexedValueType.INDEXED_VALUE_TYPE_INT).build());
        // Adding it again is fine (nothing changes).
        ops().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .putSearchAttributes("ShoeSize", IndexedValueType.INDEXED_VALUE_TYPE_INT).build());
        assertThat(list().getCustomAttributesMap()).containsEntry("ShoeSize", IndexedValueType.INDEXED_VALUE_TYPE_INT);

        String id = tempora.workflowId("typed");
        Tagger tagger = tempora.client().newWorkflowStub(Tagger.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id)
                .setTypedSearchAttributes(SearchAttributes.newBuilder().set(SHOE_SIZE, 42L).build()).build());
        assertThat(tagger.run("")).isEqualTo("42");
        var description = WorkflowStub.fromTyped(tagger).describe();
        assertThat(description.getTypedSearchAttributes().get(SHOE_SIZE)).isEqualTo(42L);
        assertThat(description.getRawDescription().getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap()
                .get("ShoeSize").getMetadataMap().get("type").toStringUtf8()).isEqualTo("Int");

        ops().removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .addSearchAttributes("ShoeSize").addSearchAttributes("NeverRegistered").build());
        assertThat(list().getCustomAttributesMap()).doesNotContainKey("ShoeSize");
        // A query on a removed attribute fails and says which one, as one on a name never registered.
        var removed = failure(() -> tempora.service().blockingStub().listWorkflowExecutions(
                io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                        .setQuery("ShoeSize = 42").build()));
        assertThat(removed.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        assertThat(removed.getStatus().getDescription()).contains("ShoeSize");
    }

    @Test
    void startWithAnUnknownMistypedOrOversizedAttributeIsRefused() {
        var unknown = failure(() -> WorkflowClient.start(tempora.client().newWorkflowStub(Tagger.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(tempora.workflowId("unknown"))
                .setSearchAttributes(Map.of("NoSuchAttribute", "x")).build())::run, ""));
        assertInvalid(unknown, "Namespace default has no mapping defined for search attribute NoSuchAttribute");

        var mistyped = failure(() -> WorkflowClient.start(tempora.client().newWorkflowStub(Tagger.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(tempora.workflowId("mistyped"))
                .setSearchAttributes(Map.of("CustomIntField", "not a number")).build())::run, ""));
        assertInvalid(mistyped, "invalid value for search attribute CustomIntField of type Int: \"not a number\"");

        var tooLong = failure(() -> WorkflowClient.start(tempora.client().newWorkflowStub(Tagger.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(tempora.workflowId("too-long"))
                .setSearchAttributes(Map.of("CustomKeywordField", "k".repeat(3000))).build())::run, ""));
        assertInvalid(tooLong, "search attribute CustomKeywordField value size 3002 exceeds size limit 2048");

        var system = failure(() -> WorkflowClient.start(tempora.client().newWorkflowStub(Tagger.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(tempora.workflowId("system"))
                .setSearchAttributes(Map.of("WorkflowType", "forged")).build())::run, ""));
        assertInvalid(system, "WorkflowType attribute can't be set in SearchAttributes");

        // Signal-with-start is checked against the same registry.
        String swsId = tempora.workflowId("sws-unknown");
        var sws = failure(() -> tempora.service().blockingStub().signalWithStartWorkflowExecution(
                io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE).setWorkflowId(swsId).setRequestId(java.util.UUID.randomUUID().toString())
                        .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName("Tagger"))
                        .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(tempora.taskQueue()))
                        .setSignalName("anything")
                        .setSearchAttributes(io.temporal.api.common.v1.SearchAttributes.newBuilder().putIndexedFields("CustomIntField",
                                io.temporal.common.converter.GlobalDataConverter.get().toPayload("not a number").orElseThrow()))
                        .build()));
        assertInvalid(sws, "invalid value for search attribute CustomIntField of type Int: \"not a number\"");
        var notStarted = failure(() -> tempora.client().newUntypedWorkflowStub(swsId).describe());
        assertThat(notStarted.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void upsertOfAnUnknownAttributeFailsTheWorkflowTask() {
        String id = tempora.workflowId("bad-upsert");
        Tagger tagger = tempora.client().newWorkflowStub(Tagger.class, tempora.options(id));
        WorkflowClient.start(tagger::run, "NotRegistered");
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED));
        var failed = Histories.ofType(Histories.events(tempora.client(), id), EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)
                .getFirst().getWorkflowTaskFailedEventAttributes();
        assertThat(failed.getCause()).isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SEARCH_ATTRIBUTES);
        assertThat(failed.getFailure().getMessage())
                .isEqualTo("BadSearchAttributes: Namespace default has no mapping defined for search attribute NotRegistered");
        WorkflowStub.fromTyped(tagger).terminate("done");
    }

    @Test
    void registryRefusesReservedNamesUnknownTypesAndTooManyOfAType() {
        assertInvalid(failure(() -> ops().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .putSearchAttributes("WorkflowId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD).build())),
                "Search attribute WorkflowId is reserved by system.");
        assertInvalid(failure(() -> ops().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .putSearchAttributes("NoType", IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED).build())),
                "Unknown search attribute type: Unspecified.");
        assertInvalid(failure(() -> ops().addSearchAttributes(AddSearchAttributesRequest.newBuilder()
                .putSearchAttributes("NoNamespace", IndexedValueType.INDEXED_VALUE_TYPE_BOOL).build())),
                "Namespace is not set on request.");
        assertInvalid(failure(() -> ops().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .build())), "SearchAttributes are not set on request.");
        assertInvalid(failure(() -> ops().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .putSearchAttributes("Flag1", IndexedValueType.INDEXED_VALUE_TYPE_BOOL)
                .putSearchAttributes("Flag2", IndexedValueType.INDEXED_VALUE_TYPE_BOOL)
                .putSearchAttributes("Flag3", IndexedValueType.INDEXED_VALUE_TYPE_BOOL).build())),
                "Unable to create search attributes: cannot have more than 3 search attribute of type Bool.");
        assertThat(list().getCustomAttributesMap()).doesNotContainKeys("Flag1", "Flag2", "Flag3");
        assertInvalid(failure(() -> ops().removeSearchAttributes(RemoveSearchAttributesRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).addSearchAttributes("WorkflowId").build())),
                "Unable to remove non-custom search attributes: [WorkflowId].");
        var missing = failure(() -> ops().listSearchAttributes(ListSearchAttributesRequest.newBuilder().setNamespace("no-such-namespace").build()));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        var unimplemented = failure(() -> ops().listClusters(io.temporal.api.operatorservice.v1.ListClustersRequest.getDefaultInstance()));
        assertThat(unimplemented.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        var unimplementedWorkflowRpc = failure(() -> tempora.service().blockingStub().getWorkerTaskReachability(
                io.temporal.api.workflowservice.v1.GetWorkerTaskReachabilityRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE).build()));
        assertThat(unimplementedWorkflowRpc.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void startDevRegistersSearchAttributeFlagsAndTheRegistryIsDurable() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("search-attributes").withArgs("--search-attribute", "Region=keyword",
                "--search-attribute", "Score=Double")) {
            server.start();
            WorkflowServiceStubs stubs = TemporaFixture.newStubs(server.target());
            OperatorServiceStubs ops = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder()
                    .setTarget(server.target()).validateAndBuildWithDefaults());
            ops.blockingStub().addSearchAttributes(AddSearchAttributesRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                    .putSearchAttributes("AddedLater", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME).build());
            ops.shutdownNow();
            TemporaFixture.closeStubs(stubs);

            server.kill();
            server.start();
            stubs = TemporaFixture.newStubs(server.target());
            ops = OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder().setTarget(server.target()).validateAndBuildWithDefaults());
            assertThat(ops.blockingStub().listSearchAttributes(ListSearchAttributesRequest.newBuilder()
                    .setNamespace(TemporaFixture.NAMESPACE).build()).getCustomAttributesMap())
                    .containsEntry("Region", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                    .containsEntry("Score", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE)
                    .containsEntry("AddedLater", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
            ops.shutdownNow();
            TemporaFixture.closeStubs(stubs);
        }
        var badType = TemporaProcess.runCli("server", "start-dev", "--in-memory", "--port", String.valueOf(TemporaProcess.freePort()),
                "--search-attribute", "Size=Float");
        assertThat(badType.exitCode()).isEqualTo(2);
        assertThat(badType.output()).contains("error: invalid search attribute value type \"Float\"");
        var noEquals = TemporaProcess.runCli("server", "start-dev", "--in-memory", "--port", String.valueOf(TemporaProcess.freePort()),
                "--search-attribute", "Size");
        assertThat(noEquals.output()).contains("error: missing expected '=' in \"Size\"");
    }
}
