package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ResetWorkflowExecution: a new run from a workflow task, later signals reapplied, the old run terminated. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResetTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Collector {
        @WorkflowMethod
        String run();

        @SignalMethod
        void add(String value);
    }

    public static class CollectorImpl implements Collector {
        private final List<String> received = new ArrayList<>();

        @Override
        public String run() {
            Workflow.await(() -> received.contains("done"));
            return String.join(",", received);
        }

        @Override
        public void add(String value) {
            received.add(value);
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(CollectorImpl.class);
        tempora.startWorkers();
    }

    private List<HistoryEvent> history(String workflowId, String runId) {
        return tempora.service().blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId)).build())
                .getHistory().getEventsList();
    }

    private ResetWorkflowExecutionRequest.Builder reset(String workflowId, long eventId) {
        return ResetWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setWorkflowTaskFinishEventId(eventId)
                .setReason("testing reset")
                .setRequestId(UUID.randomUUID().toString());
    }

    @Test
    void resetStartsANewRunThatReappliesLaterSignals() throws Exception {
        String id = tempora.workflowId("reset");
        Collector wf = tempora.client().newWorkflowStub(Collector.class, tempora.options(id));
        WorkflowExecution first = WorkflowClient.start(wf::run);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
        wf.add("a");
        wf.add("b");
        wf.add("done");
        assertThat(WorkflowStub.fromTyped(wf).getResult(20, TimeUnit.SECONDS, String.class)).isEqualTo("a,b,done");

        String newRunId = tempora.service().blockingStub().resetWorkflowExecution(reset(id, 4).build()).getRunId();
        assertThat(newRunId).isNotEqualTo(first.getRunId());
        String result = tempora.client().newUntypedWorkflowStub(id, java.util.Optional.of(newRunId), java.util.Optional.empty())
                .getResult(20, TimeUnit.SECONDS, String.class);
        assertThat(result).isEqualTo("a,b,done");

        List<HistoryEvent> events = history(id, newRunId);
        Histories.assertWellFormed(id, events);
        HistoryEvent failed = events.get(3);
        assertThat(failed.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
        assertThat(failed.getWorkflowTaskFailedEventAttributes().getCause()).isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
        assertThat(failed.getWorkflowTaskFailedEventAttributes().getBaseRunId()).isEqualTo(first.getRunId());
        assertThat(failed.getWorkflowTaskFailedEventAttributes().getFailure().getMessage()).isEqualTo("testing reset");
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).isEqualTo(3);
    }

    @Test
    void resetOfARunningRunTerminatesIt() {
        String id = tempora.workflowId("reset-running");
        Collector wf = tempora.client().newWorkflowStub(Collector.class, tempora.options(id));
        WorkflowExecution first = WorkflowClient.start(wf::run);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
        String newRunId = tempora.service().blockingStub().resetWorkflowExecution(reset(id, 4).build()).getRunId();
        List<HistoryEvent> old = history(id, first.getRunId());
        assertThat(old.getLast().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        assertThat(old.getLast().getWorkflowExecutionTerminatedEventAttributes().getReason()).isEqualTo("testing reset");
        tempora.client().newUntypedWorkflowStub(id).signal("add", "done");
        assertThat(tempora.client().newUntypedWorkflowStub(id, java.util.Optional.of(newRunId), java.util.Optional.empty())
                .getResult(String.class)).isEqualTo("done");
    }

    @Test
    void resetToAnEventThatIsNotAWorkflowTaskFinishIsInvalid() {
        String id = tempora.workflowId("reset-bad");
        Collector wf = tempora.client().newWorkflowStub(Collector.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
        for (long bad : new long[] {1, 2, 3, 999}) {
            assertThatThrownBy(() -> tempora.service().blockingStub().resetWorkflowExecution(reset(id, bad).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        wf.add("done");
    }
}
