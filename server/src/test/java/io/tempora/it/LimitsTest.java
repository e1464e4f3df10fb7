package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.common.Limits;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Limits on pending work are enforced (configured small here with the official dynamic config keys). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture(Limits.defaults().withOverrides(Map.of(
            "limit.numPendingChildExecutions.error", "2",
            "history.maximumSignalsPerExecution", "3")));

    @WorkflowInterface
    public interface Sleeper {
        @WorkflowMethod
        void sleep();
    }

    public static class SleeperImpl implements Sleeper {
        @Override
        public void sleep() {
            Workflow.await(() -> false);
        }
    }

    @WorkflowInterface
    public interface FanOut {
        @WorkflowMethod
        void run(int children);
    }

    public static class FanOutImpl implements FanOut {
        @Override
        public void run(int children) {
            for (int i = 0; i < children; i++) {
                Sleeper child = Workflow.newChildWorkflowStub(Sleeper.class, ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-" + i).build());
                Async.procedure(child::sleep);
            }
            Workflow.await(() -> false);
        }
    }

    @Test
    void tooManyPendingChildrenFailsTheWorkflowTask() {
        tempora.newWorker().registerWorkflowImplementationTypes(FanOutImpl.class, SleeperImpl.class);
        tempora.startWorkers();
        String id = tempora.workflowId("children");
        WorkflowClient.start(tempora.client().newWorkflowStub(FanOut.class, tempora.options(id))::run, 3);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED));
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        HistoryEvent failed = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).getFirst();
        assertThat(failed.getWorkflowTaskFailedEventAttributes().getCause())
                .isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_PENDING_CHILD_WORKFLOWS_LIMIT_EXCEEDED);
        tempora.client().newUntypedWorkflowStub(id).terminate("test over");
        for (int i = 0; i < 3; i++) {
            try {
                tempora.client().newUntypedWorkflowStub(id + "-" + i).terminate("test over");
            } catch (RuntimeException ignored) {
                // a child that was never started
            }
        }
    }

    @Test
    void signalsBeyondTheLimitAreRejected() {
        tempora.newWorker().registerWorkflowImplementationTypes(SleeperImpl.class);
        tempora.startWorkers();
        String id = tempora.workflowId("signals");
        WorkflowClient.start(tempora.client().newWorkflowStub(Sleeper.class, tempora.options(id))::sleep);
        var stub = tempora.client().newUntypedWorkflowStub(id);
        for (int i = 0; i < 3; i++) {
            stub.signal("anything", i);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stub.signal("anything", 4))
                .hasStackTraceContaining("exceeded workflow execution limit for signal events");
        stub.terminate("test over");
    }
}
