package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.ListArchivedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Visibility with the official SDK: runs are found by list and count queries on system and custom search attributes
 * of every type, soon after each transition, and paged with no duplicate or gap while new runs start.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VisibilityTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final SearchAttributeKey<String> KEYWORD = SearchAttributeKey.forKeyword("CustomKeywordField");
    static final SearchAttributeKey<String> TEXT = SearchAttributeKey.forText("CustomTextField");
    static final SearchAttributeKey<Long> INT = SearchAttributeKey.forLong("CustomIntField");
    static final SearchAttributeKey<Double> DOUBLE = SearchAttributeKey.forDouble("CustomDoubleField");
    static final SearchAttributeKey<Boolean> BOOL = SearchAttributeKey.forBoolean("CustomBoolField");
    static final SearchAttributeKey<OffsetDateTime> DATETIME = SearchAttributeKey.forOffsetDateTime("CustomDatetimeField");
    static final SearchAttributeKey<List<String>> KEYWORDS = SearchAttributeKey.forKeywordList("CustomKeywordListField");

    @WorkflowInterface
    public interface Waiter {
        @WorkflowMethod
        String run();

        @SignalMethod
        void finish(String tag);
    }

    public static class WaiterImpl implements Waiter {
        private String tag;

        @Override
        public String run() {
            Workflow.await(() -> tag != null);
            if (!tag.isEmpty()) {
                Workflow.upsertTypedSearchAttributes(KEYWORD.valueSet(tag));
                Workflow.await(() -> false); // stays open with the upserted attribute
            }
            return "done";
        }

        @Override
        public void finish(String tag) {
            this.tag = tag;
        }
    }

    @BeforeEach
    void setUp() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(WaiterImpl.class);
        tempora.startWorkers();
    }

    private Waiter start(String id, SearchAttributes attributes) {
        WorkflowOptions.Builder options = WorkflowOptions.newBuilder(tempora.options(id));
        if (attributes != null) {
            options.setTypedSearchAttributes(attributes);
        }
        Waiter w = tempora.client().newWorkflowStub(Waiter.class, options.build());
        WorkflowClient.start(w::run);
        return w;
    }

    private Set<String> ids(String query) {
        return tempora.client().listExecutions(query).map(m -> m.getExecution().getWorkflowId()).collect(Collectors.toSet());
    }

    /** Scoped to this test's task queue, so runs of other tests do not count. */
    private String scoped(String query) {
        String queue = "TaskQueue = '" + tempora.taskQueue() + "'";
        return query.isEmpty() ? queue : queue + " AND (" + query + ")";
    }

    private void awaitIds(String query, Set<String> expected) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(ids(scoped(query))).as(query).containsExactlyInAnyOrderElementsOf(expected));
    }

    @Test
    void runsAreFoundBySystemAttributesAsTheyStartAndClose() throws Exception {
        String a = tempora.workflowId("a");
        String b = tempora.workflowId("b");
        Waiter first = start(a, null);
        start(b, null);
        awaitIds("ExecutionStatus = 'Running'", Set.of(a, b));
        first.finish("");
        WorkflowStub.fromTyped(first).getResult(10, TimeUnit.SECONDS, String.class);
        awaitIds("ExecutionStatus = 'Completed'", Set.of(a));
        awaitIds("ExecutionStatus = 'Running'", Set.of(b));
        awaitIds("WorkflowId = '" + a + "'", Set.of(a));
        awaitIds("WorkflowType = 'Waiter' AND CloseTime IS NOT NULL", Set.of(a));
        awaitIds("WorkflowId STARTS_WITH 'b-'", Set.of(b));
        awaitIds("StartTime > '2020-01-01T00:00:00Z'", Set.of(a, b));

        WorkflowExecutionMetadata closed = tempora.client().listExecutions(scoped("WorkflowId = '" + a + "'")).findFirst().orElseThrow();
        assertThat(closed.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        assertThat(closed.getWorkflowType()).isEqualTo("Waiter");
        assertThat(closed.getCloseTime()).isNotNull();
        assertThat(closed.getHistoryLength()).isGreaterThan(4);

        var counts = tempora.client().countWorkflows(scoped("") + " GROUP BY ExecutionStatus");
        assertThat(counts.getCount()).isEqualTo(2);
        // The SDK reads a group value as a list of one, as it does from the official server.
        assertThat(counts.getGroups()).extracting(g -> g.getGroupValues().get(0) + "=" + g.getCount())
                .containsExactlyInAnyOrder("[Running]=1", "[Completed]=1");
        var raw = tempora.service().blockingStub().countWorkflowExecutions(io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest
                .newBuilder().setNamespace(TemporaFixture.NAMESPACE).setQuery(scoped("") + " GROUP BY ExecutionStatus").build());
        assertThat(raw.getGroupsList()).extracting(g -> g.getGroupValues(0).getData().toStringUtf8() + " "
                        + g.getGroupValues(0).getMetadataOrThrow("type").toStringUtf8())
                .containsExactlyInAnyOrder("\"Running\" Keyword", "\"Completed\" Keyword");
        assertThat(tempora.client().countWorkflows(scoped("ExecutionStatus = 'Running'")).getCount()).isEqualTo(1);
    }

    @Test
    void customSearchAttributesOfEveryTypeAreQueryable() {
        OffsetDateTime noon = OffsetDateTime.of(2026, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        String x = tempora.workflowId("x");
        String y = tempora.workflowId("y");
        start(x, SearchAttributes.newBuilder().set(KEYWORD, "gold").set(TEXT, "the quick brown fox").set(INT, 7L)
                .set(DOUBLE, 2.5).set(BOOL, true).set(DATETIME, noon).set(KEYWORDS, List.of("red", "green")).build());
        start(y, SearchAttributes.newBuilder().set(KEYWORD, "silver").set(TEXT, "lazy dog").set(INT, 3L)
                .set(DOUBLE, 9.0).set(BOOL, false).set(DATETIME, noon.plusDays(1)).set(KEYWORDS, List.of("blue")).build());
        awaitIds("", Set.of(x, y));
        awaitIds("CustomKeywordField = 'gold'", Set.of(x));
        awaitIds("CustomKeywordField IN ('gold', 'silver')", Set.of(x, y));
        awaitIds("CustomTextField = 'fox'", Set.of(x));
        awaitIds("CustomIntField > 5", Set.of(x));
        awaitIds("CustomIntField BETWEEN 1 AND 5", Set.of(y));
        awaitIds("CustomDoubleField >= 9", Set.of(y));
        awaitIds("CustomBoolField = true", Set.of(x));
        awaitIds("CustomDatetimeField > '2026-06-01T18:00:00Z'", Set.of(y));
        awaitIds("CustomKeywordListField = 'green'", Set.of(x));
        awaitIds("CustomKeywordField = 'gold' OR CustomIntField = 3", Set.of(x, y));

        WorkflowExecutionMetadata found = tempora.client().listExecutions(scoped("CustomKeywordField = 'gold'")).findFirst().orElseThrow();
        assertThat(found.getTypedSearchAttributes().get(INT)).as("typed in list results").isEqualTo(7L);
        assertThat(found.getTypedSearchAttributes().get(KEYWORDS)).containsExactly("red", "green");
    }

    @Test
    void anUpsertedAttributeIsFound() {
        String id = tempora.workflowId("upsert");
        Waiter w = start(id, null);
        awaitIds("", Set.of(id));
        w.finish("platinum");
        awaitIds("CustomKeywordField = 'platinum'", Set.of(id));
    }

    @Test
    void pagesHaveNoDuplicateAndNoGapWhileNewRunsStart() {
        Set<String> started = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String id = tempora.workflowId("p" + i);
            start(id, null);
            started.add(id);
        }
        awaitIds("", started);
        Set<String> seen = new HashSet<>();
        int pages = 0;
        com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
        do {
            ListWorkflowExecutionsResponse page = tempora.service().blockingStub().listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(TemporaFixture.NAMESPACE).setQuery(scoped("")).setPageSize(40).setNextPageToken(token).build());
            for (var e : page.getExecutionsList()) {
                assertThat(seen.add(e.getExecution().getWorkflowId())).as("no duplicate: %s", e.getExecution().getWorkflowId()).isTrue();
            }
            start(tempora.workflowId("late" + pages), null); // arrives while paging: sorts before the token, never duplicates
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty());
        assertThat(seen).containsAll(started);
        assertThat(pages).isEqualTo(8);
    }

    @Test
    void legacyOpenAndClosedListsFilterByExactIds() throws Exception {
        String odd = tempora.workflowId("C:\\temp\\it's");
        Waiter w = start(odd, null);
        awaitIds("", Set.of(odd));
        var open = tempora.service().blockingStub().listOpenWorkflowExecutions(io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest
                .newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                .setExecutionFilter(io.temporal.api.filter.v1.WorkflowExecutionFilter.newBuilder().setWorkflowId(odd)).build());
        assertThat(open.getExecutionsList()).extracting(e -> e.getExecution().getWorkflowId()).containsExactly(odd);
        w.finish("");
        WorkflowStub.fromTyped(w).getResult(10, TimeUnit.SECONDS, String.class);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tempora.service().blockingStub()
                .listClosedWorkflowExecutions(io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE)
                        .setExecutionFilter(io.temporal.api.filter.v1.WorkflowExecutionFilter.newBuilder().setWorkflowId(odd)).build())
                .getExecutionsList()).extracting(e -> e.getStatus()).containsExactly(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED));
    }

    @Test
    void badQueriesAndRequestsGetInvalidArgument() {
        for (String query : List.of("NoSuchAttribute = 'x'", "WorkflowId = ", "CustomIntField = 'seven'", "WorkflowId LIKE 'a%'")) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                    .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE).setQuery(query).build()));
            assertThat(e).as(query).isNotNull();
            assertThat(e.getStatus().getCode()).as(query).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        StatusRuntimeException token = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                        .setNextPageToken(com.google.protobuf.ByteString.copyFromUtf8("garbage")).build()));
        assertThat(token.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException archived = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .listArchivedWorkflowExecutions(ListArchivedWorkflowExecutionsRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE).build()));
        assertThat(archived.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(archived.getStatus().getDescription()).isEqualTo("Cluster is not configured for visibility archival.");
    }
}
