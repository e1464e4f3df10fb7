package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.ActivityTaskTimedOutEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The failure an activity timeout leaves in history, as the official server builds it: which timeout type, which
 * retry state, which cause (the previous attempt's failure) and where the heartbeat details go (outer failure only).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ActivityTimeoutFailureTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @ActivityInterface
    public interface Stuck {
        /** Fails the first attempt when asked, then heartbeats once and hangs past any timeout. */
        String hang(boolean failFirstAttempt);
    }

    public static class StuckImpl implements Stuck {
        @Override
        public String hang(boolean failFirstAttempt) {
            int attempt = Activity.getExecutionContext().getInfo().getAttempt();
            if (failFirstAttempt && attempt == 1) {
                throw ApplicationFailure.newFailure("boom", "Boom");
            }
            Activity.getExecutionContext().heartbeat("progress-" + attempt);
            try {
                Thread.sleep(6_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "done";
        }
    }

    @WorkflowInterface
    public interface Runner {
        @WorkflowMethod
        String run(String scenario);
    }

    public static class RunnerImpl implements Runner {
        @Override
        public String run(String scenario) {
            ActivityOptions.Builder options = ActivityOptions.newBuilder();
            boolean failFirst = false;
            switch (scenario) {
                case "no-time-left" -> options.setStartToCloseTimeout(Duration.ofSeconds(1)).setScheduleToCloseTimeout(Duration.ofMillis(1800))
                        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(1).build());
                case "no-time-left-after-failure" -> {
                    failFirst = true;
                    options.setStartToCloseTimeout(Duration.ofMillis(1500)).setScheduleToCloseTimeout(Duration.ofMillis(3500))
                            .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1)).setBackoffCoefficient(1).build());
                }
                case "attempts-used-up" -> options.setStartToCloseTimeout(Duration.ofSeconds(1))
                        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(200)).setMaximumAttempts(2).build());
                case "never-picked-up" -> options.setTaskQueue(Workflow.getInfo().getTaskQueue() + "-nobody")
                        .setScheduleToStartTimeout(Duration.ofSeconds(1)).setStartToCloseTimeout(Duration.ofSeconds(5))
                        .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(200)).build());
                default -> throw new IllegalArgumentException(scenario);
            }
            return Workflow.newActivityStub(Stuck.class, options.build()).hang(failFirst);
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(RunnerImpl.class);
        worker.registerActivitiesImplementations(new StuckImpl());
        tempora.startWorkers();
    }

    private ActivityTaskTimedOutEventAttributes timedOut(String scenario) {
        String id = tempora.workflowId(scenario);
        Runner runner = tempora.client().newWorkflowStub(Runner.class, tempora.options(id));
        WorkflowClient.start(runner::run, scenario);
        try {
            WorkflowStub.fromTyped(runner).getResult(30, TimeUnit.SECONDS, String.class);
        } catch (io.temporal.client.WorkflowFailedException expected) {
            // the activity's timeout fails the workflow
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("workflow " + id + " did not finish", e);
        }
        return Histories.ofType(Histories.events(tempora.client(), id), EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)
                .getFirst().getActivityTaskTimedOutEventAttributes();
    }

    private static String heartbeat(Failure f) {
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0,
                Optional.of(f.getTimeoutFailureInfo().getLastHeartbeatDetails()), String.class, String.class);
    }

    @Test
    void retryThatWouldPassScheduleToCloseIsAScheduleToCloseTimeoutWithoutCause() {
        ActivityTaskTimedOutEventAttributes a = timedOut("no-time-left");
        assertThat(a.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
        Failure f = a.getFailure();
        assertThat(f.getTimeoutFailureInfo().getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
        assertThat(f.getMessage()).isEqualTo("activity ScheduleToClose timeout");
        assertThat(f.getSource()).isEqualTo("Server");
        assertThat(f.hasCause()).as("failure %s", f).isFalse();
        assertThat(heartbeat(f)).isEqualTo("progress-1");
    }

    @Test
    void causeIsThePreviousAttemptsFailureAndHeartbeatDetailsAreOnTheOuterFailureOnly() {
        ActivityTaskTimedOutEventAttributes a = timedOut("no-time-left-after-failure");
        assertThat(a.getRetryState()).isEqualTo(RetryState.RETRY_STATE_TIMEOUT);
        Failure f = a.getFailure();
        assertThat(f.getTimeoutFailureInfo().getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
        assertThat(heartbeat(f)).isEqualTo("progress-2");
        assertThat(f.getCause().getMessage()).isEqualTo("boom");
        assertThat(f.getCause().hasCause()).isFalse();
    }

    @Test
    void lastAttemptTimingOutReportsMaximumAttemptsWithThePreviousTimeoutAsCause() {
        ActivityTaskTimedOutEventAttributes a = timedOut("attempts-used-up");
        assertThat(a.getRetryState()).isEqualTo(RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
        Failure f = a.getFailure();
        assertThat(f.getTimeoutFailureInfo().getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
        assertThat(f.getMessage()).isEqualTo("activity StartToClose timeout");
        assertThat(heartbeat(f)).isEqualTo("progress-2");
        Failure cause = f.getCause();
        assertThat(cause.getTimeoutFailureInfo().getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
        assertThat(cause.getTimeoutFailureInfo().hasLastHeartbeatDetails()).as("heartbeat details only on the outer failure").isFalse();
        assertThat(cause.hasCause()).isFalse();
    }

    @Test
    void scheduleToStartTimeoutIsNotRetried() {
        ActivityTaskTimedOutEventAttributes a = timedOut("never-picked-up");
        Failure f = a.getFailure();
        assertThat(f.getTimeoutFailureInfo().getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
        assertThat(f.getMessage()).isEqualTo("activity ScheduleToStart timeout");
        assertThat(a.getRetryState()).isEqualTo(RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE);
        assertThat(a.getStartedEventId()).isZero();
    }
}
