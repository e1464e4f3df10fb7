package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workflow updates: validation, acceptance, completion, wait stages, dedupe, and speculative tasks. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UpdateTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Counter {
        @WorkflowMethod
        int run();

        @UpdateMethod
        int add(int amount);

        @UpdateValidatorMethod(updateName = "add")
        void validateAdd(int amount);

        @SignalMethod
        void finish();
    }

    public static class CounterImpl implements Counter {
        private int total;
        private boolean done;

        @Override
        public int run() {
            Workflow.await(() -> done);
            return total;
        }

        @Override
        public int add(int amount) {
            if (amount == 13) {
                throw io.temporal.failure.ApplicationFailure.newFailure("unlucky", "Unlucky");
            }
            if (amount == 99) {
                Workflow.sleep(java.time.Duration.ofMillis(500));
            }
            total += amount;
            return total;
        }

        @Override
        public void validateAdd(int amount) {
            if (amount < 0) {
                throw new IllegalArgumentException("negative amounts are rejected");
            }
        }

        @Override
        public void finish() {
            done = true;
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(CounterImpl.class);
        tempora.startWorkers();
    }

    private Counter start(String id) {
        Counter wf = tempora.client().newWorkflowStub(Counter.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        return wf;
    }

    private static UpdateOptions<Integer> add(String updateId, WorkflowUpdateStage stage) {
        return UpdateOptions.newBuilder(Integer.class).setUpdateName("add").setUpdateId(updateId).setWaitForStage(stage).build();
    }

    @Test
    void acceptedUpdateCompletesWithItsResultAndIsRecorded() throws Exception {
        String id = tempora.workflowId("update");
        Counter wf = start(id);
        assertThat(wf.add(5)).isEqualTo(5);
        assertThat(wf.add(7)).isEqualTo(12);
        wf.finish();
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, Integer.class)).isEqualTo(12);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isEqualTo(2);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).isEqualTo(2);
        HistoryEvent accepted = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED).getFirst();
        HistoryEvent completed = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED).getFirst();
        assertThat(completed.getWorkflowExecutionUpdateCompletedEventAttributes().getAcceptedEventId()).isEqualTo(accepted.getEventId());
        assertThat(accepted.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest().getInput().getName()).isEqualTo("add");
    }

    @Test
    void rejectedUpdateLeavesNoTraceInHistory() {
        String id = tempora.workflowId("update-rejected");
        Counter wf = start(id);
        assertThat(wf.add(1)).isEqualTo(1);
        int before = Histories.events(tempora.client(), id).size();

        assertThatThrownBy(() -> wf.add(-3)).isInstanceOf(WorkflowUpdateException.class)
                .hasStackTraceContaining("negative amounts are rejected");
        assertThat(Histories.events(tempora.client(), id)).hasSize(before);

        assertThat(wf.add(2)).isEqualTo(3);
        wf.finish();
    }

    @Test
    void updateHandlerFailureIsTheOutcome() {
        String id = tempora.workflowId("update-fails");
        Counter wf = start(id);
        assertThatThrownBy(() -> wf.add(13)).isInstanceOf(WorkflowUpdateException.class).hasStackTraceContaining("unlucky");
        assertThat(Histories.count(Histories.events(tempora.client(), id), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).isEqualTo(1);
        wf.finish();
    }

    @Test
    void waitForAcceptedThenResultAndUpdateIdDedupe() throws Exception {
        String id = tempora.workflowId("update-stages");
        Counter wf = start(id);
        WorkflowStub stub = WorkflowStub.fromTyped(wf);
        WorkflowUpdateHandle<Integer> handle = stub.startUpdate(add("slow-1", WorkflowUpdateStage.ACCEPTED), 99);
        assertThat(handle.getResultAsync().get(30, TimeUnit.SECONDS)).isEqualTo(99);

        WorkflowUpdateHandle<Integer> again = stub.startUpdate(add("slow-1", WorkflowUpdateStage.COMPLETED), 99);
        assertThat(again.getResultAsync().get(30, TimeUnit.SECONDS)).isEqualTo(99);
        assertThat(Histories.count(Histories.events(tempora.client(), id), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isEqualTo(1);
        wf.finish();
    }

    @Test
    void unknownUpdateNameIsRejectedAndClosedWorkflowRefusesUpdates() throws Exception {
        String id = tempora.workflowId("update-unknown");
        Counter wf = start(id);
        WorkflowStub stub = WorkflowStub.fromTyped(wf);
        assertThatThrownBy(() -> stub.update("noSuchUpdate", Integer.class, 1)).isInstanceOf(WorkflowUpdateException.class);
        wf.finish();
        stub.getResult(30, TimeUnit.SECONDS, Integer.class);
        assertThatThrownBy(() -> wf.add(1)).isInstanceOf(RuntimeException.class);
    }
}
