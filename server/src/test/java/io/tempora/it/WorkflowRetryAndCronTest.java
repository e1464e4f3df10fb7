package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.ContinueAsNewInitiator;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workflow retry policies (a failed run is retried as a new run) and cron workflows (a run per cron time). */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkflowRetryAndCronTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Flaky {
        @WorkflowMethod
        String run(int failures);
    }

    public static class FlakyImpl implements Flaky {
        @Override
        public String run(int failures) {
            int attempt = Workflow.getInfo().getAttempt();
            if (attempt <= failures) {
                throw ApplicationFailure.newFailure("attempt " + attempt + " failed", "Flaky");
            }
            return "succeeded on attempt " + attempt;
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(FlakyImpl.class);
        tempora.startWorkers();
    }

    private List<HistoryEvent> history(String workflowId, String runId) {
        return tempora.service().blockingStub().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId)).build())
                .getHistory().getEventsList();
    }

    @Test
    void failedRunIsRetriedAsANewRunWithBackoff() throws Exception {
        String id = tempora.workflowId("retry");
        Flaky wf = tempora.client().newWorkflowStub(Flaky.class, WorkflowOptions.newBuilder(tempora.options(id))
                .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(200)).setMaximumAttempts(3).build())
                .build());
        WorkflowExecution first = io.temporal.client.WorkflowClient.start(wf::run, 2);
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("succeeded on attempt 3");

        List<HistoryEvent> firstRun = history(id, first.getRunId());
        HistoryEvent failed = firstRun.getLast();
        assertThat(failed.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);
        assertThat(failed.getWorkflowExecutionFailedEventAttributes().getRetryState()).isEqualTo(RetryState.RETRY_STATE_IN_PROGRESS);
        String secondRunId = failed.getWorkflowExecutionFailedEventAttributes().getNewExecutionRunId();
        var secondStart = history(id, secondRunId).getFirst().getWorkflowExecutionStartedEventAttributes();
        assertThat(secondStart.getAttempt()).isEqualTo(2);
        assertThat(secondStart.getContinuedExecutionRunId()).isEqualTo(first.getRunId());
        assertThat(secondStart.getFirstExecutionRunId()).isEqualTo(first.getRunId());
        assertThat(secondStart.getFirstWorkflowTaskBackoff().getNanos() / 1_000_000 + secondStart.getFirstWorkflowTaskBackoff().getSeconds() * 1000)
                .isEqualTo(200);
        assertThat(secondStart.getContinuedFailure().getMessage()).isEqualTo("attempt 1 failed");
    }

    @Test
    void retriesStopAtMaximumAttempts() {
        String id = tempora.workflowId("retry-exhausted");
        Flaky wf = tempora.client().newWorkflowStub(Flaky.class, WorkflowOptions.newBuilder(tempora.options(id))
                .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100)).setMaximumAttempts(2).build())
                .build());
        io.temporal.client.WorkflowClient.start(wf::run, 5);
        try {
            WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class);
        } catch (io.temporal.client.WorkflowFailedException e) {
            assertThat(e.getRetryState()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
            return;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the workflow should have failed");
    }

    @Test
    void cronWorkflowRunsAtEachScheduledTime() {
        String id = tempora.workflowId("cron");
        WorkflowStub stub = tempora.client().newUntypedWorkflowStub("Flaky",
                WorkflowOptions.newBuilder(tempora.options(id)).setCronSchedule("@every 2s").build());
        WorkflowExecution first = stub.start(0);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> history(id, first.getRunId()).getLast().getEventType()
                == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        List<HistoryEvent> firstRun = history(id, first.getRunId());
        var firstStart = firstRun.getFirst().getWorkflowExecutionStartedEventAttributes();
        assertThat(firstStart.getCronSchedule()).isEqualTo("@every 2s");
        assertThat(firstStart.hasFirstWorkflowTaskBackoff()).isTrue();
        var completed = firstRun.getLast().getWorkflowExecutionCompletedEventAttributes();
        assertThat(completed.getNewExecutionRunId()).isNotEmpty();
        var second = history(id, completed.getNewExecutionRunId()).getFirst().getWorkflowExecutionStartedEventAttributes();
        assertThat(second.getInitiator()).isEqualTo(ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
        assertThat(second.getCronSchedule()).isEqualTo("@every 2s");
        assertThat(second.hasLastCompletionResult()).isTrue();
        tempora.client().newUntypedWorkflowStub(id).terminate("test over");
    }
}
