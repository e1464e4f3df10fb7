package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker that goes away in the middle of a workflow: a new worker (new client, new stubs, empty sticky
 * cache) must get the full history from the server, replay it and finish the workflow.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WorkerRestartTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @ActivityInterface
    public interface StepActivities {
        String step(String name);
    }

    /** Records which worker ran which step, so a test can tell the old worker from the new one. */
    public static class StepActivitiesImpl implements StepActivities {
        final String workerName;
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        StepActivitiesImpl(String workerName) {
            this.workerName = workerName;
        }

        int calls(String step) {
            AtomicInteger c = calls.get(step);
            return c == null ? 0 : c.get();
        }

        @Override
        public String step(String name) {
            calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            return name;
        }
    }

    @WorkflowInterface
    public interface StepThenSleepWorkflow {
        @WorkflowMethod
        String run(long sleepMillis);
    }

    public static class StepThenSleepWorkflowImpl implements StepThenSleepWorkflow {
        private final StepActivities steps = Workflow.newActivityStub(StepActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String run(long sleepMillis) {
            String a = steps.step("a");
            Workflow.sleep(Duration.ofMillis(sleepMillis));
            String b = steps.step("b");
            return a + "+" + b;
        }
    }

    @WorkflowInterface
    public interface ManyStepsWorkflow {
        @WorkflowMethod
        String run(String prefix, int steps);
    }

    public static class ManyStepsWorkflowImpl implements ManyStepsWorkflow {
        private final StepActivities steps = Workflow.newActivityStub(StepActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String run(String prefix, int count) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < count; i++) {
                sb.append(steps.step(prefix + "-s" + i)).append(';');
                if (i == count / 2) {
                    Workflow.sleep(Duration.ofMillis(200));
                }
            }
            return sb.toString();
        }
    }

    private static Worker register(WorkerFactory factory, String taskQueue, StepActivitiesImpl activities) {
        Worker worker = factory.newWorker(taskQueue);
        worker.registerWorkflowImplementationTypes(StepThenSleepWorkflowImpl.class, ManyStepsWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        return worker;
    }

    @Test
    void newWorkerReplaysFullHistoryAfterWorkerRestart() throws Exception {
        String id = tempora.workflowId("restart");
        StepActivitiesImpl oldActivities = new StepActivitiesImpl("old");
        register(tempora.workerFactory(), tempora.taskQueue(), oldActivities);
        tempora.startWorkers();

        StepThenSleepWorkflow wf = tempora.client().newWorkflowStub(StepThenSleepWorkflow.class, tempora.options(id));
        WorkflowClient.start(wf::run, 6_000L);

        // Wait until the workflow is blocked on its timer (step "a" done), then the old worker goes away.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_TIMER_STARTED));
        TemporaFixture.stopFactory(tempora.workerFactory());
        assertThat(oldActivities.calls("a")).isEqualTo(1);

        // A brand new worker: new stubs, new client, empty cache.
        WorkflowClient newClient = tempora.newIsolatedClient();
        StepActivitiesImpl newActivities = new StepActivitiesImpl("new");
        WorkerFactory newFactory = tempora.newWorkerFactory(newClient, null);
        register(newFactory, tempora.taskQueue(), newActivities);
        newFactory.start();

        String result = newClient.newUntypedWorkflowStub(id).getResult(45, TimeUnit.SECONDS, String.class);

        assertThat(result).isEqualTo("a+b");
        assertThat(oldActivities.calls("b")).as("old worker is gone").isZero();
        assertThat(newActivities.calls("b")).as("new worker ran the rest of the workflow").isEqualTo(1);
        assertThat(newActivities.calls("a")).as("replay must not re-run completed activities").isZero();

        List<HistoryEvent> events = Histories.events(newClient, id);
        Histories.assertCompletedWithActivities(id, events, 2);
        assertThat(Histories.types(events))
                .containsOnlyOnce(EventType.EVENT_TYPE_TIMER_STARTED, EventType.EVENT_TYPE_TIMER_FIRED);
    }

    @Test
    void cacheEvictionsForceFullHistoryReplays() throws Exception {
        int workflows = 4;
        int steps = 20;
        StepActivitiesImpl activities = new StepActivitiesImpl("tiny-cache");
        // A cache of one workflow shared by several interleaved workflows: the worker keeps evicting, so most
        // workflow tasks are cache misses that need the complete (possibly paged) history from the server.
        WorkerFactory factory = tempora.newWorkerFactory(tempora.client(),
                WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(1).build());
        register(factory, tempora.taskQueue(), activities);
        factory.start();

        List<String> ids = new ArrayList<>();
        for (int w = 0; w < workflows; w++) {
            String id = tempora.workflowId("evict" + w);
            ids.add(id);
            ManyStepsWorkflow wf = tempora.client().newWorkflowStub(ManyStepsWorkflow.class, tempora.options(id));
            WorkflowClient.start(wf::run, "w" + w, steps);
        }
        for (int w = 0; w < workflows; w++) {
            String id = ids.get(w);
            String result = tempora.client().newUntypedWorkflowStub(id).getResult(60, TimeUnit.SECONDS, String.class);

            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < steps; i++) {
                expected.append("w").append(w).append("-s").append(i).append(';');
                assertThat(activities.calls("w" + w + "-s" + i))
                        .as("activity w%d-s%d runs exactly once", w, i).isEqualTo(1);
            }
            assertThat(result).isEqualTo(expected.toString());
            List<HistoryEvent> events = Histories.events(tempora.client(), id);
            Histories.assertCompletedWithActivities(id, events, steps);
        }
    }
}
