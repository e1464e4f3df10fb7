package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many workflows in flight at once, spread over all shards, each with one activity. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ConcurrentWorkflowsTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final int WORKFLOWS = 200;
    static final Duration OVERALL = Duration.ofSeconds(150);

    @ActivityInterface
    public interface SquareActivities {
        long square(long n);
    }

    public static class SquareActivitiesImpl implements SquareActivities {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public long square(long n) {
            calls.incrementAndGet();
            return n * n;
        }
    }

    @WorkflowInterface
    public interface SquareWorkflow {
        @WorkflowMethod
        String run(long n);
    }

    public static class SquareWorkflowImpl implements SquareWorkflow {
        private final SquareActivities activities = Workflow.newActivityStub(SquareActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

        @Override
        public String run(long n) {
            return n + "^2=" + activities.square(n);
        }
    }

    @Test
    void twoHundredConcurrentWorkflowsAllCompleteWithCorrectResults() throws Exception {
        SquareActivitiesImpl activities = new SquareActivitiesImpl();
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(SquareWorkflowImpl.class);
        worker.registerActivitiesImplementations(activities);
        tempora.startWorkers();

        long deadline = System.nanoTime() + OVERALL.toNanos();
        List<String> ids = new ArrayList<>();
        Set<String> runIds = new HashSet<>();
        for (int i = 0; i < WORKFLOWS; i++) {
            String id = tempora.workflowId("square-" + i);
            SquareWorkflow wf = tempora.client().newWorkflowStub(SquareWorkflow.class, tempora.options(id));
            WorkflowExecution execution = WorkflowClient.start(wf::run, (long) i);
            assertThat(execution.getWorkflowId()).isEqualTo(id);
            assertThat(execution.getRunId()).isNotEmpty();
            ids.add(id);
            runIds.add(execution.getRunId());
        }
        assertThat(runIds).as("every start gets its own run id").hasSize(WORKFLOWS);

        for (int i = 0; i < WORKFLOWS; i++) {
            long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            WorkflowStub stub = tempora.client().newUntypedWorkflowStub(ids.get(i));
            String result = stub.getResult(remainingMillis, TimeUnit.MILLISECONDS, String.class);
            assertThat(result).as("result of workflow %d", i).isEqualTo(i + "^2=" + ((long) i * i));
        }
        assertThat(activities.calls).as("one activity per workflow, none duplicated").hasValue(WORKFLOWS);

        for (String id : ids) {
            List<HistoryEvent> events = Histories.events(tempora.client(), id);
            Histories.assertCompletedWithActivities(id, events, 1);
        }
    }
}
