package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.QueryRejectCondition;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.query.v1.WorkflowQuery;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.worker.Worker;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Memo and search attributes set at start and changed by the workflow show in DescribeWorkflowExecution. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemoAndSearchAttributesTest {

    static final SearchAttributeKey<String> CUSTOMER = SearchAttributeKey.forKeyword("CustomKeywordField");
    static final SearchAttributeKey<Long> COUNT = SearchAttributeKey.forLong("CustomIntField");

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Tagged {
        @WorkflowMethod
        String run();

        @QueryMethod
        String status();
    }

    public static class TaggedImpl implements Tagged {
        @Override
        public String run() {
            Workflow.upsertTypedSearchAttributes(COUNT.valueSet(7L));
            Workflow.upsertMemo(Map.of("stage", "upserted"));
            return "tagged";
        }

        @Override
        public String status() {
            return "ok";
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(TaggedImpl.class);
        tempora.startWorkers();
    }

    @Test
    void memoAndSearchAttributesFromStartAndUpsertsAreDescribed() {
        String id = tempora.workflowId("tagged");
        Tagged wf = tempora.client().newWorkflowStub(Tagged.class, WorkflowOptions.newBuilder(tempora.options(id))
                .setMemo(Map.of("owner", "team-a"))
                .setTypedSearchAttributes(SearchAttributes.newBuilder().set(CUSTOMER, "acme").build())
                .build());
        assertThat(wf.run()).isEqualTo("tagged");

        WorkflowExecutionInfo info = tempora.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getWorkflowExecutionInfo();
        var memo = info.getMemo().getFieldsMap();
        assertThat(GlobalDataConverter.get().fromPayload(memo.get("owner"), String.class, String.class)).isEqualTo("team-a");
        assertThat(GlobalDataConverter.get().fromPayload(memo.get("stage"), String.class, String.class)).isEqualTo("upserted");
        assertThat(info.getSearchAttributes().getIndexedFieldsMap()).containsKeys("CustomKeywordField", "CustomIntField");
        var events = Histories.events(tempora.client(), id);
        assertThat(Histories.types(events)).contains(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
                EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED);
    }

    @Test
    void queryRejectConditionRejectsAClosedWorkflow() {
        String id = tempora.workflowId("reject");
        tempora.client().newWorkflowStub(Tagged.class, tempora.options(id)).run();
        var response = tempora.service().blockingStub().queryWorkflow(QueryWorkflowRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .setQuery(WorkflowQuery.newBuilder().setQueryType("status"))
                .setQueryRejectCondition(QueryRejectCondition.QUERY_REJECT_CONDITION_NOT_OPEN)
                .build());
        assertThat(response.getQueryRejected().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }
}
