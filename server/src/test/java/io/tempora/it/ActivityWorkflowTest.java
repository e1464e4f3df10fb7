package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Activities through the official SDK: results, retries, failures, timeouts, fan-out and local activities. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ActivityWorkflowTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final int PARALLEL = 20;

    // ------------------------------------------------------------------ workflow and activity types

    @ActivityInterface
    public interface ItActivities {
        String echo(String input);

        /** Fails on attempts 1 and 2 (retryable), succeeds on attempt 3. */
        String flaky(String input);

        /** Always throws a non-retryable ApplicationFailure("boom", "MyType", "detail"). */
        String boom(String input);

        /** Heartbeats once, then sleeps well past its 1 s heartbeat timeout. */
        String heartbeatOnceThenHang(String input);

        /** Sleeps well past its 1 s start-to-close timeout. */
        String hang(String input);
    }

    public static class ItActivitiesImpl implements ItActivities {
        final AtomicInteger echoCalls = new AtomicInteger();
        final List<Integer> flakyAttempts = new CopyOnWriteArrayList<>();
        final AtomicInteger boomCalls = new AtomicInteger();
        final AtomicInteger hangCalls = new AtomicInteger();

        @Override
        public String echo(String input) {
            echoCalls.incrementAndGet();
            return "echo:" + input;
        }

        @Override
        public String flaky(String input) {
            int attempt = Activity.getExecutionContext().getInfo().getAttempt();
            flakyAttempts.add(attempt);
            if (attempt < 3) {
                throw ApplicationFailure.newFailure("transient failure on attempt " + attempt, "Transient");
            }
            return input + " succeeded on attempt " + attempt;
        }

        @Override
        public String boom(String input) {
            boomCalls.incrementAndGet();
            throw ApplicationFailure.newNonRetryableFailure("boom", "MyType", "detail");
        }

        @Override
        public String heartbeatOnceThenHang(String input) {
            hangCalls.incrementAndGet();
            Activity.getExecutionContext().heartbeat("beat-1");
            sleepQuietly(Duration.ofSeconds(5));
            return "should have timed out";
        }

        @Override
        public String hang(String input) {
            hangCalls.incrementAndGet();
            sleepQuietly(Duration.ofSeconds(5));
            return "should have timed out";
        }

        private static void sleepQuietly(Duration d) {
            try {
                Thread.sleep(d.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @WorkflowInterface
    public interface ScenarioWorkflow {
        @WorkflowMethod
        String run(String scenario, String input);
    }

    public static class ScenarioWorkflowImpl implements ScenarioWorkflow {
        private static ItActivities activities(ActivityOptions options) {
            return Workflow.newActivityStub(ItActivities.class, options);
        }

        private static ActivityOptions startToClose(Duration timeout, RetryOptions retry) {
            ActivityOptions.Builder b = ActivityOptions.newBuilder().setStartToCloseTimeout(timeout);
            if (retry != null) {
                b.setRetryOptions(retry);
            }
            return b.build();
        }

        private static RetryOptions noRetries() {
            return RetryOptions.newBuilder().setMaximumAttempts(1).build();
        }

        @Override
        public String run(String scenario, String input) {
            switch (scenario) {
                case "single":
                    return activities(startToClose(Duration.ofSeconds(10), null)).echo(input);
                case "flaky":
                    return activities(startToClose(Duration.ofSeconds(10), RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(100))
                            .setBackoffCoefficient(1.0)
                            .setMaximumAttempts(5)
                            .build())).flaky(input);
                case "boom":
                    return activities(startToClose(Duration.ofSeconds(10), null)).boom(input);
                case "heartbeat":
                    return activities(ActivityOptions.newBuilder()
                            .setStartToCloseTimeout(Duration.ofSeconds(30))
                            .setHeartbeatTimeout(Duration.ofSeconds(1))
                            .setRetryOptions(noRetries())
                            .build()).heartbeatOnceThenHang(input);
                case "startToClose":
                    return activities(startToClose(Duration.ofSeconds(1), noRetries())).hang(input);
                case "parallel": {
                    ItActivities a = activities(startToClose(Duration.ofSeconds(20), null));
                    List<Promise<String>> results = new ArrayList<>();
                    for (int i = 0; i < PARALLEL; i++) {
                        results.add(Async.function(a::echo, input + "-" + i));
                    }
                    Promise.allOf(results).get();
                    return results.stream().map(Promise::get).collect(Collectors.joining(","));
                }
                case "local": {
                    ItActivities la = Workflow.newLocalActivityStub(ItActivities.class,
                            LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(5)).build());
                    return la.echo(input + "1") + "|" + la.echo(input + "2") + "|" + la.echo(input + "3");
                }
                default:
                    throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
    }

    // ------------------------------------------------------------------ test plumbing

    private ItActivitiesImpl activities;

    @BeforeEach
    void startWorker() {
        activities = new ItActivitiesImpl();
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(ScenarioWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        tempora.startWorkers();
    }

    private WorkflowStub start(String workflowId, String scenario, String input) {
        ScenarioWorkflow wf = tempora.client().newWorkflowStub(ScenarioWorkflow.class, tempora.options(workflowId));
        WorkflowClient.start(wf::run, scenario, input);
        return WorkflowStub.fromTyped(wf);
    }

    private String runToCompletion(String workflowId, String scenario, String input) throws Exception {
        return start(workflowId, scenario, input).getResult(30, TimeUnit.SECONDS, String.class);
    }

    private WorkflowFailedException runToFailure(String workflowId, String scenario) {
        WorkflowStub stub = start(workflowId, scenario, "x");
        return catchThrowableOfType(WorkflowFailedException.class,
                () -> stub.getResult(30, TimeUnit.SECONDS, String.class));
    }

    private static String decodeString(Payloads payloads) {
        return GlobalDataConverter.get().fromPayloads(0, Optional.of(payloads), String.class, String.class);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void singleActivityResultIsReturnedWithCanonicalHistory() throws Exception {
        String id = tempora.workflowId("single");

        String result = runToCompletion(id, "single", "hello");

        assertThat(result).isEqualTo("echo:hello");
        assertThat(activities.echoCalls).hasValue(1);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(Histories.types(events)).containsExactlyElementsOf(Histories.ONE_ACTIVITY_HISTORY);
        Histories.assertCompletedWithActivities(id, events, 1);

        HistoryEvent scheduled = events.get(4);
        assertThat(scheduled.getActivityTaskScheduledEventAttributes().getActivityType().getName()).isEqualTo("Echo");
        assertThat(scheduled.getActivityTaskScheduledEventAttributes().getTaskQueue().getName())
                .isEqualTo(tempora.taskQueue());
        HistoryEvent started = events.get(5);
        assertThat(started.getActivityTaskStartedEventAttributes().getScheduledEventId()).isEqualTo(5);
        assertThat(started.getActivityTaskStartedEventAttributes().getAttempt()).isEqualTo(1);
        HistoryEvent completed = events.get(6);
        assertThat(completed.getActivityTaskCompletedEventAttributes().getScheduledEventId()).isEqualTo(5);
        assertThat(completed.getActivityTaskCompletedEventAttributes().getStartedEventId()).isEqualTo(6);
        assertThat(decodeString(completed.getActivityTaskCompletedEventAttributes().getResult()))
                .isEqualTo("echo:hello");
        HistoryEvent closed = events.get(10);
        assertThat(closed.getWorkflowExecutionCompletedEventAttributes().getWorkflowTaskCompletedEventId())
                .isEqualTo(10);
        assertThat(decodeString(closed.getWorkflowExecutionCompletedEventAttributes().getResult()))
                .isEqualTo("echo:hello");
        HistoryEvent firstStarted = events.get(0);
        assertThat(firstStarted.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName())
                .isEqualTo("ScenarioWorkflow");
        assertThat(firstStarted.getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName())
                .isEqualTo(tempora.taskQueue());
    }

    @Test
    void activityFailingTwiceIsRetriedUntilItSucceeds() throws Exception {
        String id = tempora.workflowId("flaky");

        String result = runToCompletion(id, "flaky", "flaky");

        assertThat(result).isEqualTo("flaky succeeded on attempt 3");
        assertThat(activities.flakyAttempts).containsExactly(1, 2, 3);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        // Retries are not recorded as separate events: one schedule, one start (of the last attempt), one completion.
        Histories.assertCompletedWithActivities(id, events, 1);
        assertThat(Histories.types(events)).containsExactlyElementsOf(Histories.ONE_ACTIVITY_HISTORY);
        assertThat(Histories.ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).get(0)
                .getActivityTaskStartedEventAttributes().getAttempt()).isEqualTo(3);
    }

    @Test
    void nonRetryableApplicationFailureFailsTheWorkflow() {
        String id = tempora.workflowId("boom");

        WorkflowFailedException failed = runToFailure(id, "boom");

        assertThat(failed).as("workflow must fail").isNotNull();
        assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
        assertThat(failed.getCause().getCause()).isInstanceOf(ApplicationFailure.class);
        ApplicationFailure app = (ApplicationFailure) failed.getCause().getCause();
        assertThat(app.getType()).isEqualTo("MyType");
        assertThat(app.getOriginalMessage()).isEqualTo("boom");
        assertThat(app.isNonRetryable()).isTrue();
        assertThat(app.getDetails().get(String.class)).isEqualTo("detail");
        assertThat(activities.boomCalls).as("a non-retryable failure is not retried").hasValue(1);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events))
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED)
                .containsOnlyOnce(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
                .doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
        HistoryEvent activityFailed = Histories.ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED).get(0);
        assertThat(activityFailed.getActivityTaskFailedEventAttributes().getFailure()
                .getApplicationFailureInfo().getType()).isEqualTo("MyType");
    }

    @Test
    void missedHeartbeatTimesOutTheActivity() {
        String id = tempora.workflowId("heartbeat");

        WorkflowFailedException failed = runToFailure(id, "heartbeat");

        assertThat(failed).as("workflow must fail").isNotNull();
        assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
        assertThat(failed.getCause().getCause()).isInstanceOf(TimeoutFailure.class);
        assertThat(((TimeoutFailure) failed.getCause().getCause()).getTimeoutType())
                .isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
        assertThat(activities.hangCalls).as("maximum attempts 1").hasValue(1);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events))
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED)
                .containsOnlyOnce(EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT);
        HistoryEvent timedOut = Histories.ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT).get(0);
        assertThat(timedOut.getActivityTaskTimedOutEventAttributes().getFailure()
                .getTimeoutFailureInfo().getTimeoutType()).isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
    }

    @Test
    void activityExceedingStartToCloseTimesOut() {
        String id = tempora.workflowId("stc");

        WorkflowFailedException failed = runToFailure(id, "startToClose");

        assertThat(failed).as("workflow must fail").isNotNull();
        assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
        assertThat(failed.getCause().getCause()).isInstanceOf(TimeoutFailure.class);
        assertThat(((TimeoutFailure) failed.getCause().getCause()).getTimeoutType())
                .isEqualTo(TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE);
        assertThat(activities.hangCalls).as("maximum attempts 1").hasValue(1);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events))
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED)
                .containsOnlyOnce(EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT);
    }

    @Test
    void twentyParallelActivitiesAllComplete() throws Exception {
        String id = tempora.workflowId("parallel");

        String result = runToCompletion(id, "parallel", "p");

        String expected = IntStream.range(0, PARALLEL).mapToObj(i -> "echo:p-" + i).collect(Collectors.joining(","));
        assertThat(result).isEqualTo(expected);
        assertThat(activities.echoCalls).hasValue(PARALLEL);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertCompletedWithActivities(id, events, PARALLEL);
        // All 20 were scheduled by the first workflow task, before any of them completed.
        List<EventType> types = Histories.types(events);
        assertThat(types.subList(4, 4 + PARALLEL)).containsOnly(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    }

    @Test
    void localActivitiesAreRecordedAsMarkers() throws Exception {
        String id = tempora.workflowId("local");

        String result = runToCompletion(id, "local", "l");

        assertThat(result).isEqualTo("echo:l1|echo:l2|echo:l3");
        assertThat(activities.echoCalls).hasValue(3);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_MARKER_RECORDED)).isEqualTo(3);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).isZero();
        assertThat(Histories.types(events)).containsOnlyOnce(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }

    @Test
    void largeActivityPayloadRoundTrips() throws Exception {
        String id = tempora.workflowId("large");
        String big = "x".repeat(256 * 1024);

        String result = runToCompletion(id, "single", big);

        assertThat(result).hasSize(big.length() + "echo:".length()).startsWith("echo:xxx");
        Histories.assertCompletedWithActivities(id, Histories.events(tempora.client(), id), 1);
    }
}
