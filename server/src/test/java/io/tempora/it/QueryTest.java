package io.tempora.it;

import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * QueryWorkflow: answered by a live worker while the workflow is idle and while one of its workflow tasks is in
 * flight, answered by replay after the workflow completed, failed queries, and a query nobody can answer.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class QueryTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final String WAITING_FIRST = "waiting for first activity";
    static final String RUNNING_LOCAL = "running local activity";
    static final String WAITING_SECOND = "waiting for second activity";
    static final String DONE = "done";
    static final String SLEEPING = "sleeping";
    /** The workflow name that makes the workflow sleep for an hour instead of running its activities. */
    static final String SLEEPER = "sleeper";

    // ------------------------------------------------------------------ activity and workflow types

    @ActivityInterface
    public interface GateActivities {
        /** Blocks until the test opens the gate named {@code gate}. */
        String pass(String gate);

        /** Takes ~2 s, so the workflow task that runs it as a local activity stays in flight meanwhile. */
        String slowLocal(String input);
    }

    public static class GateActivitiesImpl implements GateActivities {
        final Map<String, CountDownLatch> arrived = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> open = new ConcurrentHashMap<>();
        final CountDownLatch localStarted = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        CountDownLatch arrived(String gate) {
            return arrived.computeIfAbsent(gate, k -> new CountDownLatch(1));
        }

        void open(String gate) {
            open.computeIfAbsent(gate, k -> new CountDownLatch(1)).countDown();
        }

        @Override
        public String pass(String gate) {
            calls.incrementAndGet();
            arrived(gate).countDown();
            try {
                if (!open.computeIfAbsent(gate, k -> new CountDownLatch(1)).await(40, TimeUnit.SECONDS)) {
                    return gate + " timed out";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return gate + " interrupted";
            }
            return gate + " passed";
        }

        @Override
        public String slowLocal(String input) {
            calls.incrementAndGet();
            localStarted.countDown();
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return input;
        }
    }

    @WorkflowInterface
    public interface GatedWorkflow {
        @WorkflowMethod(name = "QueryGatedWorkflow")
        String run(String name);

        @QueryMethod(name = "state")
        String state();

        @QueryMethod(name = "describe")
        String describe(String prefix);
    }

    public static class GatedWorkflowImpl implements GatedWorkflow {
        private final GateActivities acts = Workflow.newActivityStub(GateActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofSeconds(60))
                        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
        private final GateActivities local = Workflow.newLocalActivityStub(GateActivities.class,
                LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
        private String name = "";
        private String state = "created";

        @Override
        public String run(String name) {
            this.name = name;
            if (name.equals(SLEEPER)) {
                state = SLEEPING;
                Workflow.sleep(Duration.ofHours(1));
                state = DONE;
                return "woke up";
            }
            state = WAITING_FIRST;
            acts.pass("first");
            state = RUNNING_LOCAL;
            local.slowLocal("busy");
            state = WAITING_SECOND;
            acts.pass("second");
            state = DONE;
            return "finished " + name;
        }

        @Override
        public String state() {
            return state;
        }

        @Override
        public String describe(String prefix) {
            return prefix + " " + name + " (" + state + ")";
        }
    }

    // ------------------------------------------------------------------ plumbing

    private static GateActivitiesImpl startWorker(WorkerFactory factory) {
        GateActivitiesImpl activities = new GateActivitiesImpl();
        Worker worker = factory.newWorker(tempora.taskQueue());
        worker.registerWorkflowImplementationTypes(GatedWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        factory.start();
        return activities;
    }

    private static GatedWorkflow start(String workflowId, String name) {
        GatedWorkflow wf = tempora.client().newWorkflowStub(GatedWorkflow.class, tempora.options(workflowId));
        WorkflowClient.start(wf::run, name);
        return wf;
    }

    private static void awaitGate(GateActivitiesImpl activities, String gate) throws InterruptedException {
        assertThat(activities.arrived(gate).await(20, TimeUnit.SECONDS)).as("activity %s started", gate).isTrue();
    }

    private static List<HistoryEvent> history(String workflowId) {
        return Histories.events(tempora.client(), workflowId);
    }

    private static WorkflowExecutionStatus status(String workflowId) {
        return tempora.service().blockingStub().withDeadlineAfter(15, TimeUnit.SECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build())
                .getWorkflowExecutionInfo().getStatus();
    }

    private static StatusRuntimeException statusCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof StatusRuntimeException sre) {
                return sre;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void queryOfIdleRunningWorkflowIsAnsweredByTheWorkerWithoutWritingEvents() throws Exception {
        GateActivitiesImpl activities = startWorker(tempora.workerFactory());
        String id = tempora.workflowId("idle");
        GatedWorkflow wf = start(id, "q-idle");
        awaitGate(activities, "first");
        int eventsBefore = history(id).size();

        assertThat(wf.state()).isEqualTo(WAITING_FIRST);
        assertThat(wf.describe("hello")).isEqualTo("hello q-idle (" + WAITING_FIRST + ")");
        // The same through an untyped stub bound to the workflow id only.
        assertThat(tempora.client().newUntypedWorkflowStub(id).query("state", String.class)).isEqualTo(WAITING_FIRST);

        assertThat(history(id)).as("queries are not recorded in history").hasSize(eventsBefore);
        activities.open("first");
        activities.open("second");
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class))
                .isEqualTo("finished q-idle");
        assertThat(wf.state()).isEqualTo(DONE);
        List<HistoryEvent> events = history(id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events)).endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }

    @Test
    void queryWhileAWorkflowTaskIsInFlightIsAnsweredAfterIt() throws Exception {
        GateActivitiesImpl activities = startWorker(tempora.workerFactory());
        String id = tempora.workflowId("busy");
        GatedWorkflow wf = start(id, "q-busy");
        activities.open("first");
        assertThat(activities.localStarted.await(20, TimeUnit.SECONDS)).as("local activity started").isTrue();

        // The workflow task that runs the 2 s local activity is started and not yet completed. As in Temporal, a
        // query that arrives while a workflow task is pending or started waits for that task and then sees every
        // event recorded before the query (here: the first activity's completion), not the state before it.
        long t0 = System.nanoTime();
        String state = wf.state();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(state).as("a query during a workflow task sees the state after that task (after %d ms)",
                elapsedMillis).isEqualTo(WAITING_SECOND);
        awaitGate(activities, "second");
        assertThat(wf.describe("busy")).isEqualTo("busy q-busy (" + WAITING_SECOND + ")");
        activities.open("second");
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class))
                .isEqualTo("finished q-busy");
        List<HistoryEvent> events = history(id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_MARKER_RECORDED)).isEqualTo(1);
        assertThat(Histories.types(events)).endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }

    @Test
    void queryOfCompletedWorkflowIsAnsweredByReplayOnAFreshWorker() throws Exception {
        GateActivitiesImpl first = startWorker(tempora.workerFactory());
        first.open("first");
        first.open("second");
        String id = tempora.workflowId("replay");
        GatedWorkflow wf = start(id, "q-replay");
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class))
                .isEqualTo("finished q-replay");
        List<HistoryEvent> completed = history(id);
        TemporaFixture.stopFactory(tempora.workerFactory());

        // A new worker with its own client and an empty cache must replay the history to answer.
        WorkflowClient otherClient = tempora.newIsolatedClient();
        GateActivitiesImpl second = startWorker(tempora.newWorkerFactory(otherClient, null));
        GatedWorkflow byId = otherClient.newWorkflowStub(GatedWorkflow.class, id);

        assertThat(byId.state()).isEqualTo(DONE);
        assertThat(byId.describe("after")).isEqualTo("after q-replay (" + DONE + ")");
        assertThat(second.calls).as("replay does not run activities again").hasValue(0);
        assertThat(history(id)).as("queries are not recorded in history").hasSize(completed.size());
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }

    @Test
    void queryWithUnknownQueryTypeFailsWithQueryFailed() throws Exception {
        GateActivitiesImpl activities = startWorker(tempora.workerFactory());
        String id = tempora.workflowId("unknown-type");
        GatedWorkflow wf = start(id, "q-unknown");
        awaitGate(activities, "first");

        WorkflowQueryException e = catchThrowableOfType(WorkflowQueryException.class,
                () -> tempora.client().newUntypedWorkflowStub(id).query("noSuchQuery", String.class));

        assertThat(e).as("query with an unknown query type").isNotNull();
        StatusRuntimeException sre = statusCause(e);
        assertThat(sre).as("gRPC status behind %s", e).isNotNull();
        assertThat(sre.getStatus().getDescription()).as("the worker's error message")
                .contains("noSuchQuery");
        // The failed query does not affect the workflow.
        assertThat(wf.state()).isEqualTo(WAITING_FIRST);
        activities.open("first");
        activities.open("second");
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class))
                .isEqualTo("finished q-unknown");
    }

    @Test
    void queryOfUnknownWorkflowIsNotFound() {
        WorkflowNotFoundException e = catchThrowableOfType(WorkflowNotFoundException.class,
                () -> tempora.client().newUntypedWorkflowStub(tempora.workflowId("never-started"))
                        .query("state", String.class));
        assertThat(e).as("query of a workflow id that never existed").isNotNull();
    }

    @Test
    void queryWithNoWorkerEverPollingFailsClearlyWithinTheRpcTimeout() throws Exception {
        // Nobody ever polls this workflow's task queue (not even for its first workflow task).
        String id = tempora.workflowId("never-polled");
        start(id, SLEEPER);

        assertQueryFailsWithinRpcTimeout(id);

        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        assertThat(Histories.types(history(id))).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
    }

    @Test
    void queryAfterTheOnlyWorkerStoppedFailsClearlyWithinTheRpcTimeout() throws Exception {
        GateActivitiesImpl activities = startWorker(tempora.workerFactory());
        String id = tempora.workflowId("worker-gone");
        GatedWorkflow wf = start(id, SLEEPER);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_TIMER_STARTED));
        assertThat(wf.state()).as("answered while the worker is up").isEqualTo(SLEEPING);
        // Nothing is pending now (no workflow task, no activity); the only worker goes away.
        TemporaFixture.stopFactory(tempora.workerFactory());
        assertThat(activities.calls).hasValue(0);

        assertQueryFailsWithinRpcTimeout(id);

        // The workflow is untouched: still running, no events written by the failed query.
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        List<HistoryEvent> events = history(id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events)).endsWith(EventType.EVENT_TYPE_TIMER_STARTED);
    }

    /**
     * Queries {@code workflowId} through a client whose query RPC timeout is 5 s and expects a clear failure within
     * that timeout (plus slack). A server that just lets the call run into its deadline fails this: the SDK retries
     * DEADLINE_EXCEEDED until its retry expiration, so the call is bounded here at 20 s.
     */
    private static void assertQueryFailsWithinRpcTimeout(String workflowId) throws Exception {
        Duration rpcQueryTimeout = Duration.ofSeconds(5);
        long bound = rpcQueryTimeout.toSeconds() + 15;
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(tempora.target())
                .setRpcQueryTimeout(rpcQueryTimeout)
                .build());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            WorkflowClient client = TemporaFixture.newClient(stubs);
            long t0 = System.nanoTime();
            Future<String> query = executor.submit(
                    () -> client.newUntypedWorkflowStub(workflowId).query("state", String.class));
            Throwable failure;
            try {
                String answer = query.get(bound, TimeUnit.SECONDS);
                failure = fail("query without any worker returned %s", answer);
            } catch (ExecutionException e) {
                failure = e.getCause();
            } catch (TimeoutException e) {
                query.cancel(true);
                failure = fail("query without any worker neither failed nor returned within %d s", bound);
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            assertThat(failure).as("query failure").isInstanceOf(WorkflowException.class);
            StatusRuntimeException sre = statusCause(failure);
            assertThat(sre).as("gRPC status behind %s", failure).isNotNull();
            assertThat(sre.getStatus().getCode()).as("status of %s", sre)
                    .isNotIn(Status.Code.OK, Status.Code.UNKNOWN, Status.Code.INTERNAL, Status.Code.UNIMPLEMENTED);
            assertThat(sre.getStatus().getDescription()).as("message of %s", sre).isNotBlank();
            assertThat(elapsedMillis).as("query failed after %d ms with %s", elapsedMillis, sre)
                    .isLessThanOrEqualTo(rpcQueryTimeout.toMillis() + 3_000);
        } finally {
            executor.shutdownNow();
            TemporaFixture.closeStubs(stubs);
        }
    }
}
