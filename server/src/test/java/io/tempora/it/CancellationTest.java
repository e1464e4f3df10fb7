package io.tempora.it;

import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionCancelRequestedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionTerminatedEventAttributes;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RequestCancelWorkflowExecution (the workflow sees the request as a cancellation of its root scope and may
 * clean up or ignore it; a closed run is a no-op) and TerminateWorkflowExecution (reason, details, identity; a closed
 * run is NOT_FOUND); both follow first_execution_run_id to the current run of a continue-as-new chain.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CancellationTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    // ------------------------------------------------------------------ activity and workflow types

    @ActivityInterface
    public interface CancelActivities {
        /** Heartbeats every 100 ms until the server reports the activity as cancel-requested, then rethrows. */
        String waitForCancellation(String input);

        String cleanup(String input);

        /** Blocks until the test releases it. */
        String awaitRelease(String input);
    }

    public static class CancelActivitiesImpl implements CancelActivities {
        final CountDownLatch waitStarted = new CountDownLatch(1);
        final AtomicReference<ActivityCompletionException> observedCancellation = new AtomicReference<>();
        final AtomicInteger cleanupCalls = new AtomicInteger();
        final CountDownLatch awaitStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String waitForCancellation(String input) {
            waitStarted.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try {
                    Activity.getExecutionContext().heartbeat("waiting");
                } catch (ActivityCompletionException e) {
                    observedCancellation.set(e);
                    throw e;
                }
                sleepQuietly(100);
            }
            return "never canceled";
        }

        @Override
        public String cleanup(String input) {
            cleanupCalls.incrementAndGet();
            return "cleaned " + input;
        }

        @Override
        public String awaitRelease(String input) {
            awaitStarted.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    return "not released";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            return "released " + input;
        }

        private static void sleepQuietly(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @WorkflowInterface
    public interface CancellableWorkflow {
        @WorkflowMethod(name = "CancellableWorkflow")
        String run(String scenario);
    }

    public static class CancellableWorkflowImpl implements CancellableWorkflow {
        private final CancelActivities acts = Workflow.newActivityStub(CancelActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(60))
                        .setHeartbeatTimeout(Duration.ofSeconds(2))
                        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());

        @Override
        public String run(String scenario) {
            switch (scenario) {
                case "quick":
                    return "quick";
                case "continue":
                    return Workflow.newContinueAsNewStub(CancellableWorkflow.class).run("sleep");
                case "sleep":
                    Workflow.sleep(Duration.ofHours(1));
                    return "slept";
                case "cleanup": {
                    // An activity and a timer in the root scope; on cancellation wait for the activity to
                    // acknowledge, run a cleanup activity in a detached scope, then let the failure propagate.
                    Promise<String> activity = Async.function(acts::waitForCancellation, "work");
                    Promise<Void> timer = Workflow.newTimer(Duration.ofHours(1));
                    try {
                        String r = activity.get();
                        timer.get();
                        return r;
                    } catch (ActivityFailure | CanceledFailure e) {
                        Workflow.newDetachedCancellationScope(() -> acts.cleanup("after-cancel")).run();
                        throw e;
                    }
                }
                case "ignore": {
                    // The activity runs in a detached scope: the cancel request interrupts nothing.
                    String[] released = new String[1];
                    Workflow.newDetachedCancellationScope(() -> released[0] = acts.awaitRelease("anyway")).run();
                    return "ignored cancellation, " + released[0];
                }
                default:
                    throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    private CancelActivitiesImpl activities;

    @BeforeEach
    void startWorker() {
        activities = new CancelActivitiesImpl();
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(CancellableWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        tempora.startWorkers();
    }

    private static WorkflowStub start(String workflowId, String scenario) {
        CancellableWorkflow wf = tempora.client().newWorkflowStub(CancellableWorkflow.class, tempora.options(workflowId));
        WorkflowClient.start(wf::run, scenario);
        return WorkflowStub.fromTyped(wf);
    }

    private static void awaitEvent(String workflowId, EventType type) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .alias(type + " in the history of " + workflowId)
                .until(() -> Histories.contains(tempora.client(), workflowId, type));
    }

    private static WorkflowFailedException resultFailure(WorkflowStub stub) {
        WorkflowFailedException e = catchThrowableOfType(WorkflowFailedException.class,
                () -> stub.getResult(30, TimeUnit.SECONDS, String.class));
        assertThat(e).as("getResult of %s must fail", stub.getExecution()).isNotNull();
        return e;
    }

    private static WorkflowServiceBlockingStub rpc() {
        return tempora.service().blockingStub().withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private static String clientIdentity() {
        return tempora.client().getOptions().getIdentity();
    }

    private static WorkflowExecutionStatus status(String workflowId) {
        return rpc().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build())
                .getWorkflowExecutionInfo().getStatus();
    }

    private static TerminateWorkflowExecutionRequest terminateRequest(String workflowId, String reason, String identity) {
        return TerminateWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setReason(reason)
                .setDetails(GlobalDataConverter.get().toPayloads("raw-detail").orElseThrow())
                .setIdentity(identity)
                .build();
    }

    private static String decodeString(Payloads payloads) {
        return GlobalDataConverter.get().fromPayloads(0, Optional.of(payloads), String.class, String.class);
    }

    private static StatusRuntimeException expectStatus(Status.Code code, ThrowingCallable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with %s", code).isNotNull();
        assertThat(e.getStatus().getCode()).as("status of %s", e).isEqualTo(code);
        return e;
    }

    private static HistoryEvent only(List<HistoryEvent> events, EventType type) {
        List<HistoryEvent> found = Histories.ofType(events, type);
        assertThat(found).as("%s events in %s", type, Histories.types(events)).hasSize(1);
        return found.get(0);
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void cancelRequestCancelsTheTimerAndTheWorkflow() {
        String id = tempora.workflowId("cancel-sleep");
        WorkflowStub stub = start(id, "sleep");
        awaitEvent(id, EventType.EVENT_TYPE_TIMER_STARTED);

        stub.cancel("no longer needed");
        WorkflowFailedException failed = resultFailure(stub);

        assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events)).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_TIMER_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_TIMER_CANCELED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
        WorkflowExecutionCancelRequestedEventAttributes requested =
                events.get(5).getWorkflowExecutionCancelRequestedEventAttributes();
        assertThat(requested.getCause()).as("cause = the reason of the request").isEqualTo("no longer needed");
        assertThat(requested.getIdentity()).isEqualTo(clientIdentity());
        assertThat(events.get(9).getTimerCanceledEventAttributes().getTimerId())
                .isEqualTo(events.get(4).getTimerStartedEventAttributes().getTimerId());
        assertThat(events.get(9).getTimerCanceledEventAttributes().getStartedEventId()).isEqualTo(5);
        assertThat(events.get(10).getWorkflowExecutionCanceledEventAttributes().getWorkflowTaskCompletedEventId())
                .isEqualTo(9);
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }

    @Test
    void workflowCancelsItsActivityAndTimerAndRunsCleanupBeforeItIsCanceled() throws Exception {
        String id = tempora.workflowId("cancel-cleanup");
        WorkflowStub stub = start(id, "cleanup");
        assertThat(activities.waitStarted.await(20, TimeUnit.SECONDS)).as("activity started").isTrue();
        awaitEvent(id, EventType.EVENT_TYPE_TIMER_STARTED);

        stub.cancel();
        WorkflowFailedException failed = resultFailure(stub);

        assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
        assertThat(activities.observedCancellation.get())
                .as("the activity learns of the cancellation through its heartbeat").isNotNull();
        assertThat(activities.cleanupCalls).as("cleanup activity in a detached scope").hasValue(1);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        List<EventType> types = Histories.types(events);
        assertThat(types).endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED)
                .containsOnlyOnce(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
                        EventType.EVENT_TYPE_TIMER_CANCELED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                .doesNotContain(EventType.EVENT_TYPE_TIMER_FIRED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);

        HistoryEvent cancelRequested = only(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
        assertThat(cancelRequested.getWorkflowExecutionCancelRequestedEventAttributes().getIdentity())
                .isEqualTo(clientIdentity());
        List<HistoryEvent> scheduled = Histories.ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
        assertThat(scheduled).as("the activity and the cleanup activity").hasSize(2);
        HistoryEvent work = scheduled.get(0);
        HistoryEvent cleanup = scheduled.get(1);
        assertThat(work.getActivityTaskScheduledEventAttributes().getActivityType().getName())
                .isEqualTo("WaitForCancellation");
        assertThat(cleanup.getActivityTaskScheduledEventAttributes().getActivityType().getName()).isEqualTo("Cleanup");
        HistoryEvent activityCancelRequested = only(events, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED);
        HistoryEvent activityCanceled = only(events, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED);
        HistoryEvent timerStarted = only(events, EventType.EVENT_TYPE_TIMER_STARTED);
        HistoryEvent timerCanceled = only(events, EventType.EVENT_TYPE_TIMER_CANCELED);
        HistoryEvent cleanupCompleted = only(events, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
        HistoryEvent canceled = events.get(events.size() - 1);

        assertThat(activityCancelRequested.getActivityTaskCancelRequestedEventAttributes().getScheduledEventId())
                .isEqualTo(work.getEventId());
        assertThat(activityCanceled.getActivityTaskCanceledEventAttributes().getScheduledEventId())
                .isEqualTo(work.getEventId());
        assertThat(activityCanceled.getActivityTaskCanceledEventAttributes().getLatestCancelRequestedEventId())
                .isEqualTo(activityCancelRequested.getEventId());
        assertThat(timerCanceled.getTimerCanceledEventAttributes().getTimerId())
                .isEqualTo(timerStarted.getTimerStartedEventAttributes().getTimerId());
        assertThat(cleanupCompleted.getActivityTaskCompletedEventAttributes().getScheduledEventId())
                .isEqualTo(cleanup.getEventId());
        assertThat(decodeString(cleanupCompleted.getActivityTaskCompletedEventAttributes().getResult()))
                .isEqualTo("cleaned after-cancel");

        // The order: cancel requested -> activity cancel requested and timer canceled -> activity canceled
        // -> cleanup scheduled and completed -> workflow canceled.
        assertThat(cancelRequested.getEventId()).isLessThan(activityCancelRequested.getEventId())
                .isLessThan(timerCanceled.getEventId());
        assertThat(activityCancelRequested.getEventId()).isLessThan(activityCanceled.getEventId());
        assertThat(timerCanceled.getEventId()).isLessThan(activityCanceled.getEventId());
        assertThat(activityCanceled.getEventId()).isLessThan(cleanup.getEventId());
        assertThat(cleanupCompleted.getEventId()).isLessThan(canceled.getEventId());
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }

    @Test
    void workflowMayIgnoreTheCancelRequestAndKeepWorking() throws Exception {
        String id = tempora.workflowId("cancel-ignore");
        WorkflowStub stub = start(id, "ignore");
        assertThat(activities.awaitStarted.await(20, TimeUnit.SECONDS)).as("activity started").isTrue();

        stub.cancel();
        // The worker sees the request in a workflow task and does nothing about it: the run stays open.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .alias("a workflow task completed after the cancel request of " + id)
                .until(() -> {
                    List<EventType> t = Histories.types(Histories.events(tempora.client(), id));
                    int requested = t.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
                    return requested >= 0 && t.subList(requested, t.size())
                            .contains(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
                });
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        // A second request while the first is already recorded is accepted and changes nothing.
        stub.cancel();
        activities.release.countDown();

        // When the workflow method returns after a cancel request, the Java SDK closes the run as canceled
        // (ReplayWorkflowExecutor.completeWorkflow), whatever the method returned.
        WorkflowFailedException failed = resultFailure(stub);
        assertThat(failed.getCause()).isInstanceOf(CanceledFailure.class);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        List<EventType> types = Histories.types(events);
        assertThat(types).containsOnlyOnce(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED)
                .doesNotContain(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        assertThat(types.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED))
                .as("the activity completed after the cancel request: %s", types)
                .isLessThan(types.indexOf(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED));
        HistoryEvent completed = only(events, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
        assertThat(decodeString(completed.getActivityTaskCompletedEventAttributes().getResult()))
                .isEqualTo("released anyway");
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }

    @Test
    void cancelOfUnknownWorkflowIsNotFoundAndOfAClosedRunSucceedsWithoutEffect() throws Exception {
        WorkflowNotFoundException unknown = catchThrowableOfType(WorkflowNotFoundException.class,
                () -> tempora.client().newUntypedWorkflowStub(tempora.workflowId("never-started")).cancel());
        assertThat(unknown).as("cancel of an unknown workflow id").isNotNull();

        String id = tempora.workflowId("cancel-completed");
        WorkflowStub stub = start(id, "quick");
        assertThat(stub.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("quick");
        int eventsAtCompletion = Histories.events(tempora.client(), id).size();

        // As on the official server, cancelling a run that has already finished is a success that changes nothing.
        tempora.client().newUntypedWorkflowStub(id).cancel();
        rpc().requestCancelWorkflowExecution(cancelRequest(id, stub.getExecution().getRunId(), ""));
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(events).hasSize(eventsAtCompletion);
        assertThat(Histories.types(events)).endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
    }

    @Test
    void cancelAndTerminateWithFirstExecutionRunIdTargetTheChainsCurrentRun() {
        String id = tempora.workflowId("cancel-chain");
        WorkflowStub stub = start(id, "continue");
        String firstRunId = stub.getExecution().getRunId();
        String secondRunId = awaitContinuedRunSleeping(id, firstRunId);

        expectStatus(Status.Code.NOT_FOUND, () -> rpc().requestCancelWorkflowExecution(
                cancelRequest(id, "", java.util.UUID.randomUUID().toString())));
        // The run id given is not the current one, but first_execution_run_id names the chain: its current run is cancelled.
        rpc().requestCancelWorkflowExecution(cancelRequest(id, firstRunId, firstRunId));
        assertThat(tempora.client().newUntypedWorkflowStub(id, java.util.Optional.of(secondRunId), java.util.Optional.empty()))
                .satisfies(s -> assertThat(catchThrowableOfType(WorkflowFailedException.class,
                        () -> s.getResult(30, TimeUnit.SECONDS, String.class)).getCause()).isInstanceOf(CanceledFailure.class));

        String terminatedId = tempora.workflowId("terminate-chain");
        String firstOfChain = start(terminatedId, "continue").getExecution().getRunId();
        String currentOfChain = awaitContinuedRunSleeping(terminatedId, firstOfChain);
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().terminateWorkflowExecution(terminateRequest(terminatedId, "wrong chain", "op")
                .toBuilder().setFirstExecutionRunId(java.util.UUID.randomUUID().toString()).build()));
        rpc().terminateWorkflowExecution(terminateRequest(terminatedId, "whole chain", "op").toBuilder()
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(terminatedId).setRunId(firstOfChain))
                .setFirstExecutionRunId(firstOfChain).build());
        List<HistoryEvent> current = tempora.service().blockingStub().getWorkflowExecutionHistory(
                io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(terminatedId).setRunId(currentOfChain)).build())
                .getHistory().getEventsList();
        assertThat(Histories.types(current)).endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        // The chain's current run is closed now: cancel is a no-op, terminate is NOT_FOUND.
        rpc().requestCancelWorkflowExecution(cancelRequest(terminatedId, "", firstOfChain));
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().terminateWorkflowExecution(terminateRequest(terminatedId, "again", "op")
                .toBuilder().setFirstExecutionRunId(firstOfChain).build()));
    }

    /** Waits until the run after {@code firstRunId} sleeps; returns its run id. */
    private static String awaitContinuedRunSleeping(String workflowId, String firstRunId) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .alias("the continued run of " + workflowId + " sleeps")
                .until(() -> {
                    var info = rpc().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build()).getWorkflowExecutionInfo();
                    return !info.getExecution().getRunId().equals(firstRunId)
                            && Histories.contains(tempora.client(), workflowId, EventType.EVENT_TYPE_TIMER_STARTED);
                });
        return rpc().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getWorkflowExecutionInfo().getExecution().getRunId();
    }

    private static io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest cancelRequest(
            String workflowId, String runId, String firstExecutionRunId) {
        return io.temporal.api.workflowservice.v1.RequestCancelWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                .setFirstExecutionRunId(firstExecutionRunId)
                .setIdentity("operator")
                .build();
    }

    // ------------------------------------------------------------------ termination

    @Test
    void terminateRecordsReasonDetailsAndIdentity() {
        String id = tempora.workflowId("terminate");
        WorkflowStub stub = start(id, "sleep");
        awaitEvent(id, EventType.EVENT_TYPE_TIMER_STARTED);

        stub.terminate("operator said stop", "detail-1");
        WorkflowFailedException failed = resultFailure(stub);

        assertThat(failed.getCause()).isInstanceOf(TerminatedFailure.class);
        assertThat(((TerminatedFailure) failed.getCause()).getOriginalMessage()).isEqualTo("operator said stop");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events)).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_TIMER_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        WorkflowExecutionTerminatedEventAttributes terminated =
                events.get(5).getWorkflowExecutionTerminatedEventAttributes();
        assertThat(terminated.getReason()).isEqualTo("operator said stop");
        assertThat(decodeString(terminated.getDetails())).isEqualTo("detail-1");
        assertThat(terminated.getIdentity()).isEqualTo(clientIdentity());
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    }

    @Test
    void terminateWhileActivityRunsClosesTheWorkflowAndTheActivityIsAbandoned() throws Exception {
        String id = tempora.workflowId("terminate-activity");
        WorkflowStub stub = start(id, "cleanup");
        assertThat(activities.waitStarted.await(20, TimeUnit.SECONDS)).as("activity started").isTrue();

        stub.terminate("stop now");
        WorkflowFailedException failed = resultFailure(stub);

        assertThat(failed.getCause()).isInstanceOf(TerminatedFailure.class);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .alias("the heartbeat of an activity of a terminated workflow fails")
                .until(() -> activities.observedCancellation.get() != null);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events))
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED)
                .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
                        EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED);
        assertThat(activities.cleanupCalls).as("termination runs no workflow code").hasValue(0);
    }

    @Test
    void terminatingAClosedWorkflowIsNotFound() throws Exception {
        String id = tempora.workflowId("terminate-twice");
        start(id, "sleep");
        awaitEvent(id, EventType.EVENT_TYPE_TIMER_STARTED);

        rpc().terminateWorkflowExecution(terminateRequest(id, "first", "operator-1"));
        expectStatus(Status.Code.NOT_FOUND,
                () -> rpc().terminateWorkflowExecution(terminateRequest(id, "second", "operator-2")));
        WorkflowNotFoundException viaSdk = catchThrowableOfType(WorkflowNotFoundException.class,
                () -> tempora.client().newUntypedWorkflowStub(id).terminate("third"));
        assertThat(viaSdk).as("SDK terminate of a terminated workflow").isNotNull();

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        HistoryEvent terminated = only(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        assertThat(terminated.getWorkflowExecutionTerminatedEventAttributes().getReason()).isEqualTo("first");
        assertThat(terminated.getWorkflowExecutionTerminatedEventAttributes().getIdentity()).isEqualTo("operator-1");
        assertThat(decodeString(terminated.getWorkflowExecutionTerminatedEventAttributes().getDetails()))
                .isEqualTo("raw-detail");

        // A completed workflow and an unknown workflow id: NOT_FOUND as well.
        String completedId = tempora.workflowId("terminate-completed");
        WorkflowStub completed = start(completedId, "quick");
        assertThat(completed.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("quick");
        expectStatus(Status.Code.NOT_FOUND,
                () -> rpc().terminateWorkflowExecution(terminateRequest(completedId, "late", "operator-1")));
        assertThat(Histories.types(Histories.events(tempora.client(), completedId)))
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().terminateWorkflowExecution(
                terminateRequest(tempora.workflowId("never-started"), "nothing", "operator-1")));
    }
}
