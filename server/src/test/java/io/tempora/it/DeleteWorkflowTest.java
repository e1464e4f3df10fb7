package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** DeleteWorkflowExecution removes a run (terminating it first when it runs); the id can be used again. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeleteWorkflowTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Forever {
        @WorkflowMethod
        String run();
    }

    public static class ForeverImpl implements Forever {
        @Override
        public String run() {
            Workflow.await(() -> false);
            return "never";
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(ForeverImpl.class);
        tempora.startWorkers();
    }

    private void describe(String workflowId) {
        tempora.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    }

    @Test
    void deletedRunIsGoneAndItsIdCanBeReused() {
        String id = tempora.workflowId("delete");
        WorkflowExecution first = WorkflowClient.start(tempora.client().newWorkflowStub(Forever.class, tempora.options(id))::run);
        describe(id);
        String byRun = "RunId = '" + first.getRunId() + "'";
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> tempora.client().countWorkflows(byRun).getCount() == 1);

        tempora.service().blockingStub().deleteWorkflowExecution(DeleteWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build());

        assertThatThrownBy(() -> describe(id)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> tempora.client().countWorkflows(byRun).getCount() == 0); // its visibility record is removed too
        WorkflowExecution again = WorkflowClient.start(tempora.client().newWorkflowStub(Forever.class, tempora.options(id))::run);
        assertThat(again.getRunId()).isNotEmpty();
        describe(id);
        tempora.client().newUntypedWorkflowStub(id).terminate("test over");
    }
}
