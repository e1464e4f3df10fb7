package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SDK records which of its behaviour flags a workflow task used in {@code sdk_metadata}; the server must
 * keep it on the WorkflowTaskCompleted event, or a full replay (worker restart, cache eviction) follows other
 * code paths and fails with a non-determinism error.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SdkMetadataReplayTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @ActivityInterface
    public interface SlowActivities {
        String slow(String input);
    }

    public static class SlowActivitiesImpl implements SlowActivities {
        @Override
        public String slow(String input) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slow " + input;
        }
    }

    @WorkflowInterface
    public interface VersionedThreads {
        @WorkflowMethod
        String run();
    }

    /** getVersion in several workflow threads: whether it yields is flags 1 and 2. */
    public static class VersionedThreadsImpl implements VersionedThreads {
        @Override
        public String run() {
            SlowActivities acts = Workflow.newActivityStub(SlowActivities.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).build());
            List<Promise<String>> branches = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int branch = i;
                branches.add(Async.function(() -> {
                    int v = Workflow.getVersion("change-" + branch, Workflow.DEFAULT_VERSION, 1);
                    Workflow.sleep(Duration.ofMillis(10));
                    return acts.slow(branch + ":" + v);
                }));
            }
            StringBuilder sb = new StringBuilder();
            for (Promise<String> p : branches) {
                sb.append(p.get()).append(';');
            }
            return sb.toString();
        }
    }

    @ActivityInterface
    public interface LongActivities {
        String longRunning(String input);
    }

    public static class LongActivitiesImpl implements LongActivities {
        @Override
        public String longRunning(String input) {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "long " + input;
        }
    }

    @WorkflowInterface
    public interface CancelledWork {
        @WorkflowMethod
        String run();
    }

    /** An activity in a cancellation scope; once the workflow is cancelled, a cleanup activity in a detached scope. */
    public static class CancelledWorkImpl implements CancelledWork {
        @Override
        public String run() {
            ActivityOptions options = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build();
            LongActivities longActs = Workflow.newActivityStub(LongActivities.class, options);
            SlowActivities slowActs = Workflow.newActivityStub(SlowActivities.class, options);
            try {
                Workflow.newCancellationScope(() -> {
                    longActs.longRunning("work");
                }).run();
                return "not cancelled";
            } catch (io.temporal.failure.ActivityFailure | io.temporal.failure.CanceledFailure e) {
                String[] cleanup = new String[1];
                Workflow.newDetachedCancellationScope(() -> {
                    cleanup[0] = slowActs.slow("cleanup");
                }).run();
                return "cancelled, " + cleanup[0];
            }
        }
    }

    @Test
    void cancelledScopeAroundAnActivityReplaysWithoutNonDeterminism() throws Exception {
        // Every task goes to the normal queue (no sticky cache): each one is a full replay on the worker.
        WorkerFactory factory = tempora.newWorkerFactory(tempora.client(), null);
        Worker worker = factory.newWorker(tempora.taskQueue(), io.temporal.worker.WorkerOptions.newBuilder()
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
        worker.registerWorkflowImplementationTypes(CancelledWorkImpl.class);
        worker.registerActivitiesImplementations(new SlowActivitiesImpl(), new LongActivitiesImpl());
        factory.start();
        String id = tempora.workflowId("cancel-scope");
        CancelledWork wf = tempora.client().newWorkflowStub(CancelledWork.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        WorkflowStub stub = WorkflowStub.fromTyped(wf);
        long deadline = System.currentTimeMillis() + 20_000;
        while (stub.describe().getRawDescription().getPendingActivitiesCount() == 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        stub.cancel();
        // The Java SDK closes a workflow whose cancellation was requested as cancelled, whatever it returns.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stub.getResult(30, TimeUnit.SECONDS, String.class))
                .isInstanceOf(io.temporal.client.WorkflowFailedException.class)
                .hasCauseInstanceOf(io.temporal.failure.CanceledFailure.class);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(Histories.types(events)).contains(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED,
                EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
        assertThat(Histories.ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)).as("the cleanup ran")
                .anySatisfy(e -> assertThat(e.getActivityTaskCompletedEventAttributes().getResult().getPayloads(0)
                        .getData().toStringUtf8()).isEqualTo("\"slow cleanup\""));
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED))
                .as("no workflow task failed with a non-determinism error: %s", Histories.types(events)).isZero();
        WorkflowReplayer.replayWorkflowExecution(new WorkflowExecutionHistory(
                io.temporal.api.history.v1.History.newBuilder().addAllEvents(events).build(), id), CancelledWorkImpl.class);
    }

    @Test
    void workflowTaskCompletedKeepsTheSdkMetadata() throws Exception {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(VersionedThreadsImpl.class);
        worker.registerActivitiesImplementations(new SlowActivitiesImpl());
        tempora.startWorkers();
        String id = tempora.workflowId("sdk-meta");
        VersionedThreads wf = tempora.client().newWorkflowStub(VersionedThreads.class, tempora.options(id));
        wf.run();

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        List<HistoryEvent> completed = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
        var first = completed.getFirst().getWorkflowTaskCompletedEventAttributes();
        assertThat(first.getSdkMetadata().getSdkName()).isEqualTo("temporal-java");
        assertThat(first.getSdkMetadata().getSdkVersion()).isNotEmpty();
        assertThat(first.getSdkMetadata().getLangUsedFlagsList()).as("the SDK's used flags, as the worker sent them").isNotEmpty();
        assertThat(first.getIdentity()).isNotEmpty();
    }

    @Test
    void workerThatLosesStickinessReplaysEveryTaskWithoutNonDeterminism() throws Exception {
        // A sticky schedule-to-start timeout of zero sends every workflow task to the normal queue: full replays.
        WorkerFactory factory = tempora.newWorkerFactory(tempora.client(), null);
        Worker worker = factory.newWorker(tempora.taskQueue(), io.temporal.worker.WorkerOptions.newBuilder()
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO).build());
        worker.registerWorkflowImplementationTypes(VersionedThreadsImpl.class);
        worker.registerActivitiesImplementations(new SlowActivitiesImpl());
        factory.start();
        String id = tempora.workflowId("no-sticky");
        VersionedThreads wf = tempora.client().newWorkflowStub(VersionedThreads.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("slow 0:1;slow 1:1;slow 2:1;");

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED))
                .as("no workflow task failed with a non-determinism error: %s", Histories.types(events)).isZero();
    }

    @Test
    void getVersionInSeveralThreadsReplays() throws Exception {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(VersionedThreadsImpl.class);
        worker.registerActivitiesImplementations(new SlowActivitiesImpl());
        tempora.startWorkers();
        String id = tempora.workflowId("versions");
        VersionedThreads wf = tempora.client().newWorkflowStub(VersionedThreads.class, tempora.options(id));
        assertThat(wf.run()).isEqualTo("slow 0:1;slow 1:1;slow 2:1;");

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        WorkflowReplayer.replayWorkflowExecution(new WorkflowExecutionHistory(
                io.temporal.api.history.v1.History.newBuilder().addAllEvents(events).build(), id), VersionedThreadsImpl.class);
    }
}
