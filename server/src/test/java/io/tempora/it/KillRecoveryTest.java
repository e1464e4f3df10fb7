package io.tempora.it;

import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tempora.server.ServerConfig;
import io.tempora.server.TemporaServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Crash recovery: the server runs as its own process ({@link TemporaProcess}) and is killed with SIGKILL
 * at awkward moments, then restarted on the same port and database file. Every acknowledged piece of work
 * must survive, and no history may contain gaps or duplicate events.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KillRecoveryTest {

    // ------------------------------------------------------------------ workflow and activity types

    @ActivityInterface
    public interface WorkActivities {
        String work(String input);
    }

    public static class WorkActivitiesImpl implements WorkActivities {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        final long sleepMillis;

        WorkActivitiesImpl(long sleepMillis) {
            this.sleepMillis = sleepMillis;
        }

        int calls(String input) {
            AtomicInteger c = calls.get(input);
            return c == null ? 0 : c.get();
        }

        @Override
        public String work(String input) {
            calls.computeIfAbsent(input, k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "work:" + input;
        }
    }

    @WorkflowInterface
    public interface KillWorkflow {
        /**
         * Sleeps {@code sleepMillis} (if positive), then runs {@code activities} activities one after another
         * on {@code activityTaskQueue} (the workflow's own task queue if empty); returns their results joined
         * by '|'.
         */
        @WorkflowMethod
        String run(String input, long sleepMillis, int activities, String activityTaskQueue);
    }

    public static class KillWorkflowImpl implements KillWorkflow {
        @Override
        public String run(String input, long sleepMillis, int activities, String activityTaskQueue) {
            ActivityOptions.Builder options = ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(5))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(200))
                            .setMaximumInterval(Duration.ofSeconds(1))
                            .build());
            if (!activityTaskQueue.isEmpty()) {
                options.setTaskQueue(activityTaskQueue);
            }
            WorkActivities a = Workflow.newActivityStub(WorkActivities.class, options.build());
            if (sleepMillis > 0) {
                Workflow.sleep(Duration.ofMillis(sleepMillis));
            }
            List<String> results = new ArrayList<>();
            for (int i = 0; i < activities; i++) {
                results.add(a.work(activities == 1 ? input : input + "#" + i));
            }
            return String.join("|", results);
        }
    }

    static String expected(String input, int activities) {
        if (activities == 1) {
            return "work:" + input;
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < activities; i++) {
            parts.add("work:" + input + "#" + i);
        }
        return String.join("|", parts);
    }

    // ------------------------------------------------------------------ per-test server, clients and workers

    private TemporaProcess server;
    private String taskQueue;
    private String testName;
    private final List<WorkerFactory> factories = new ArrayList<>();
    private final List<WorkflowServiceStubs> stubs = new ArrayList<>();

    @BeforeEach
    void startServer(TestInfo info) throws Exception {
        testName = info.getTestMethod().orElseThrow().getName();
        taskQueue = "tq-" + testName + "-" + TemporaFixture.shortId();
        server = TemporaProcess.create(testName);
        server.start();
    }

    @AfterEach
    void stopEverything() {
        try {
            stopWorkersAndClients();
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private void stopWorkersAndClients() {
        for (WorkerFactory f : factories) {
            try {
                f.shutdownNow();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        for (WorkerFactory f : factories) {
            try {
                f.awaitTermination(10, TimeUnit.SECONDS);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        factories.clear();
        for (WorkflowServiceStubs s : stubs) {
            TemporaFixture.closeStubs(s);
        }
        stubs.clear();
    }

    private WorkflowClient newClient() {
        WorkflowServiceStubs s = TemporaFixture.newStubs(server.target());
        stubs.add(s);
        return TemporaFixture.newClient(s);
    }

    /** A started worker factory on {@code client}; workflows on the test's task queue, activities where told. */
    private WorkerFactory startWorkers(WorkflowClient client, WorkActivitiesImpl activities, String activityQueue,
            boolean workflowWorker) {
        WorkerFactory f = WorkerFactory.newInstance(client);
        factories.add(f);
        if (workflowWorker) {
            Worker w = f.newWorker(taskQueue);
            w.registerWorkflowImplementationTypes(KillWorkflowImpl.class);
            if (activities != null && activityQueue.equals(taskQueue)) {
                w.registerActivitiesImplementations(activities);
            }
        }
        if (activities != null && !activityQueue.equals(taskQueue)) {
            Worker w = f.newWorker(activityQueue);
            w.registerActivitiesImplementations(activities);
        }
        f.start();
        return f;
    }

    private WorkflowOptions options(String workflowId) {
        return WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setWorkflowId(workflowId)
                .setWorkflowTaskTimeout(Duration.ofSeconds(3))
                .build();
    }

    private String workflowId(String prefix) {
        return prefix + "-" + testName + "-" + TemporaFixture.shortId();
    }

    private static DescribeWorkflowExecutionResponse describe(WorkflowClient client, WorkflowExecution execution) {
        return client.getWorkflowServiceStubs().blockingStub()
                .withDeadlineAfter(15, TimeUnit.SECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(execution)
                        .build());
    }

    /**
     * Stops the workers and the server process, then opens the same database in an in-JVM server and checks
     * that every stored MutableState equals the one rebuilt from its history.
     */
    private void assertRebuildsMatchOnDisk() throws Exception {
        stopWorkersAndClients();
        server.kill();
        try (TemporaServer inJvm = TemporaServer.start(
                server.inJvmConfig(List.of(NAMESPACE)))) {
            assertThat(inJvm.verifyAllRebuilds())
                    .as("MutableState rebuilt from history must equal the persisted MutableState")
                    .isEmpty();
        }
    }

    private void killAndRestart() throws Exception {
        server.kill();
        server.start();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void timerSurvivesServerKill() throws Exception {
        WorkActivitiesImpl activities = new WorkActivitiesImpl(0);
        WorkflowClient client = newClient();
        startWorkers(client, activities, taskQueue, true);

        String id = workflowId("timer");
        KillWorkflow wf = client.newWorkflowStub(KillWorkflow.class, options(id));
        long t0 = System.nanoTime();
        WorkflowClient.start(wf::run, "a", 3_000L, 1, "");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Histories.contains(client, id, EventType.EVENT_TYPE_TIMER_STARTED));

        // The worker and client stay up and must reconnect to the restarted server on the same port.
        killAndRestart();

        String result = client.newUntypedWorkflowStub(id).getResult(90, TimeUnit.SECONDS, String.class);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(result).isEqualTo("work:a");
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(3_000);
        assertThat(activities.calls("a")).isEqualTo(1);
        List<HistoryEvent> events = Histories.events(client, id);
        Histories.assertCompletedWithActivities(id, events, 1);
        assertThat(Histories.types(events))
                .containsOnlyOnce(EventType.EVENT_TYPE_TIMER_STARTED, EventType.EVENT_TYPE_TIMER_FIRED);

        assertRebuildsMatchOnDisk();
    }

    @Test
    void scheduledActivitySurvivesServerKill() throws Exception {
        String activityQueue = taskQueue + "-activities";
        WorkflowClient client = newClient();
        // Only a workflow worker: nobody polls the activity task queue before the crash.
        WorkerFactory workflowOnly = startWorkers(client, null, activityQueue, true);

        String id = workflowId("activity");
        KillWorkflow wf = client.newWorkflowStub(KillWorkflow.class, options(id));
        WorkflowExecution execution = WorkflowClient.start(wf::run, "b", 0L, 1, activityQueue);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Histories.contains(client, id, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED));
        TemporaFixture.stopFactory(workflowOnly);

        killAndRestart();

        // Brand-new client and workers after the restart: the workflow is replayed from the stored history.
        WorkActivitiesImpl activities = new WorkActivitiesImpl(0);
        WorkflowClient newClient = newClient();
        assertThat(describe(newClient, execution).getWorkflowExecutionInfo().getStatus())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        startWorkers(newClient, activities, activityQueue, true);

        String result = newClient.newUntypedWorkflowStub(id).getResult(90, TimeUnit.SECONDS, String.class);

        assertThat(result).isEqualTo("work:b");
        assertThat(activities.calls("b")).isEqualTo(1);
        List<HistoryEvent> events = Histories.events(newClient, id);
        Histories.assertCompletedWithActivities(id, events, 1);

        assertRebuildsMatchOnDisk();
    }

    @Test
    void acknowledgedStartsSurviveServerKill() throws Exception {
        int count = 100;
        WorkflowClient client = newClient();
        List<String> ids = new ArrayList<>();
        List<WorkflowExecution> executions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = workflowId("start" + i);
            KillWorkflow wf = client.newWorkflowStub(KillWorkflow.class, options(id));
            executions.add(WorkflowClient.start(wf::run, "c" + i, 0L, 1, ""));
            ids.add(id);
        }

        killAndRestart();

        WorkflowClient newClient = newClient();
        for (int i = 0; i < count; i++) {
            WorkflowExecution execution = executions.get(i);
            DescribeWorkflowExecutionResponse d = describe(newClient, execution);
            assertThat(d.getWorkflowExecutionInfo().getExecution().getRunId())
                    .as("run id of acknowledged start %d", i).isEqualTo(execution.getRunId());
            assertThat(d.getWorkflowExecutionInfo().getType().getName()).isEqualTo("KillWorkflow");
            assertThat(d.getWorkflowExecutionInfo().getStatus())
                    .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        }
        // The workflow id is still taken by the running execution.
        KillWorkflow again = newClient.newWorkflowStub(KillWorkflow.class, options(ids.get(0)));
        WorkflowExecutionAlreadyStarted dup = catchThrowableOfType(WorkflowExecutionAlreadyStarted.class,
                () -> WorkflowClient.start(again::run, "dup", 0L, 1, ""));
        assertThat(dup).isNotNull();
        assertThat(dup.getExecution().getRunId()).isEqualTo(executions.get(0).getRunId());

        WorkActivitiesImpl activities = new WorkActivitiesImpl(0);
        startWorkers(newClient, activities, taskQueue, true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        for (int i = 0; i < count; i++) {
            long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            String result = newClient.newUntypedWorkflowStub(ids.get(i))
                    .getResult(remaining, TimeUnit.MILLISECONDS, String.class);
            assertThat(result).as("result of workflow %d", i).isEqualTo("work:c" + i);
        }
        assertThat(activities.total).hasValue(count);
        for (String id : ids) {
            Histories.assertCompletedWithActivities(id, Histories.events(newClient, id), 1);
        }

        assertRebuildsMatchOnDisk();
    }

    @Test
    void inFlightWorkflowsSurviveServerKill() throws Exception {
        int count = 20;
        int activitiesPerWorkflow = 3;
        WorkActivitiesImpl activities = new WorkActivitiesImpl(150);
        WorkflowClient client = newClient();
        startWorkers(client, activities, taskQueue, true);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = workflowId("inflight" + i);
            KillWorkflow wf = client.newWorkflowStub(KillWorkflow.class, options(id));
            WorkflowClient.start(wf::run, "d" + i, 0L, activitiesPerWorkflow, "");
            ids.add(id);
        }
        // Crash in the middle of the work: some activities done, some running, some not yet scheduled.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> activities.total.get() >= count);

        killAndRestart();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        for (int i = 0; i < count; i++) {
            long remaining = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            String result = client.newUntypedWorkflowStub(ids.get(i))
                    .getResult(remaining, TimeUnit.MILLISECONDS, String.class);
            assertThat(result).as("result of workflow %d", i).isEqualTo(expected("d" + i, activitiesPerWorkflow));
        }
        // Activities are at-least-once, but each one is recorded as completed exactly once.
        assertThat(activities.total.get()).isGreaterThanOrEqualTo(count * activitiesPerWorkflow);
        for (String id : ids) {
            Histories.assertCompletedWithActivities(id, Histories.events(client, id), activitiesPerWorkflow);
        }

        assertRebuildsMatchOnDisk();
    }
}
