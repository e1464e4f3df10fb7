package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Parent close policies reach the right run (a child's live run after continue-as-new; never an unrelated workflow
 * that has the id of a child not started yet), and deleting a parent or a child does not skip the close processing.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ParentCloseAndDeleteTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Waiter {
        /** Continues as new {@code restarts} times, then waits forever. */
        @WorkflowMethod
        String run(int restarts);
    }

    public static class WaiterImpl implements Waiter {
        @Override
        public String run(int restarts) {
            if (restarts > 0) {
                Workflow.continueAsNew(restarts - 1);
            }
            Workflow.await(() -> false);
            return "never";
        }
    }

    @WorkflowInterface
    public interface Parent {
        /**
         * Starts child {@code childId}: "wait" waits for it to start, then for {@code holdMs}, then completes;
         * "leave" completes in the same workflow task, before the child is started; "await" waits for its result.
         */
        @WorkflowMethod
        String run(String childId, String mode, int childRestarts, long holdMs);
    }

    public static class ParentImpl implements Parent {
        @Override
        public String run(String childId, String mode, int childRestarts, long holdMs) {
            Waiter child = Workflow.newChildWorkflowStub(Waiter.class, ChildWorkflowOptions.newBuilder().setWorkflowId(childId).build());
            var result = Async.function(child::run, childRestarts);
            switch (mode) {
                case "leave" -> {
                    return "left";
                }
                case "await" -> {
                    try {
                        return result.get();
                    } catch (ChildWorkflowFailure e) {
                        return "child " + e.getCause().getClass().getSimpleName();
                    }
                }
                default -> {
                    Workflow.getWorkflowExecution(child).get();
                    Workflow.sleep(holdMs);
                    return "done";
                }
            }
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(WaiterImpl.class, ParentImpl.class);
        tempora.startWorkers();
    }

    private static WorkflowExecutionStatus status(String workflowId) {
        return tempora.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getWorkflowExecutionInfo().getStatus();
    }

    private static void delete(String workflowId) {
        tempora.service().blockingStub().deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    }

    private static Parent parent(String id) {
        return tempora.client().newWorkflowStub(Parent.class, tempora.options(id));
    }

    @Test
    void theTerminatePolicyReachesTheLiveRunOfAChildThatContinuedAsNew() {
        String childId = tempora.workflowId("continued-child");
        String parentId = tempora.workflowId("parent");
        assertThat(parent(parentId).run(childId, "wait", 2, 1500)).isEqualTo("done");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(status(childId)).as("the child's live (third) run").isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED));
    }

    @Test
    void aChildNotStartedWhenItsParentClosedNeverHitsAnUnrelatedWorkflowWithItsId() throws Exception {
        String childId = tempora.workflowId("taken-id");
        WorkflowClient.start(tempora.client().newWorkflowStub(Waiter.class, tempora.options(childId))::run, 0);
        String parentId = tempora.workflowId("parent");
        assertThat(parent(parentId).run(childId, "leave", 0, 0)).isEqualTo("left");

        Thread.sleep(1500); // the parent's close processing has run by now
        assertThat(status(childId)).as("the unrelated workflow that has the child's id").isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        tempora.client().newUntypedWorkflowStub(childId).terminate("test over");
    }

    @Test
    void deletingARunningChildStillTellsItsParent() throws Exception {
        String childId = tempora.workflowId("deleted-child");
        String parentId = tempora.workflowId("parent");
        WorkflowClient.start(parent(parentId)::run, childId, "await", 0, 0L);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(status(childId)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING));

        delete(childId);

        String result = tempora.client().newUntypedWorkflowStub(parentId).getResult(20, TimeUnit.SECONDS, String.class);
        assertThat(result).isEqualTo("child " + TerminatedFailure.class.getSimpleName());
        assertThat(Histories.types(Histories.events(tempora.client(), parentId))).contains(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> status(childId))
                .as("the child is deleted once its parent knows")
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND)));
    }

    @Test
    void deletingARunningParentStillAppliesItsChildrensParentClosePolicy() {
        String childId = tempora.workflowId("orphan");
        String parentId = tempora.workflowId("deleted-parent");
        WorkflowClient.start(parent(parentId)::run, childId, "await", 0, 0L);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(status(childId)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING));

        delete(parentId);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(status(childId)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThatThrownBy(() -> status(parentId))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND)));
    }
}
