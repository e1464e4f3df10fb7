package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker that shuts down gracefully sends ShutdownWorker with its sticky queue: the server unloads that queue
 * only, so the runs it had cached go on at once on another worker (no wait for the sticky timeout), whose own
 * sticky queue keeps working; and a poll the worker cancels never swallows a task.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerShutdownStickyTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    /** Full replays of a Tally from its start, by any worker. */
    static final AtomicInteger REPLAYS = new AtomicInteger();

    @WorkflowInterface
    public interface Tally {
        @WorkflowMethod
        int run();

        @SignalMethod
        void add(int amount);

        @QueryMethod
        int total();
    }

    public static class TallyImpl implements Tally {
        private int total;
        private boolean done;

        @Override
        public int run() {
            if (WorkflowUnsafe.isReplaying()) {
                REPLAYS.incrementAndGet();
            }
            Workflow.await(() -> done);
            return total;
        }

        @Override
        public void add(int amount) {
            if (amount < 0) {
                done = true;
            } else {
                total += amount;
            }
        }

        @Override
        public int total() {
            return total;
        }
    }

    private static long completedWorkflowTasks(String workflowId) {
        return Histories.count(Histories.events(tempora.client(), workflowId), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    }

    @Test
    void runsCachedByAWorkerThatShutDownGoOnAtOnceOnAnotherWorker() throws Exception {
        WorkerFactory first = tempora.newWorkerFactory(tempora.client(), null);
        first.newWorker(tempora.taskQueue()).registerWorkflowImplementationTypes(TallyImpl.class);
        first.start();
        String id = tempora.workflowId("tally");
        Tally tally = tempora.client().newWorkflowStub(Tally.class, tempora.options(id));
        WorkflowClient.start(tally::run);
        // Signal only after the first task completed: a signal that lands before it starts joins that task.
        await().atMost(Duration.ofSeconds(20)).until(() -> completedWorkflowTasks(id) >= 1);
        tally.add(5);
        await().atMost(Duration.ofSeconds(20)).until(() -> completedWorkflowTasks(id) >= 2); // cached by the first worker

        WorkerFactory second = tempora.newWorkerFactory(tempora.newIsolatedClient(), null);
        second.newWorker(tempora.taskQueue()).registerWorkflowImplementationTypes(TallyImpl.class);
        second.start();
        long shutdownStart = System.currentTimeMillis();
        first.shutdown(); // graceful: ShutdownWorker with the sticky queue
        first.awaitTermination(30, TimeUnit.SECONDS);
        assertThat(first.isTerminated()).isTrue();
        long shutdownMs = System.currentTimeMillis() - shutdownStart;

        REPLAYS.set(0);
        long before = completedWorkflowTasks(id);
        long signalAt = System.currentTimeMillis();
        tally.add(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> completedWorkflowTasks(id) > before);
        long handOverMs = System.currentTimeMillis() - signalAt;
        assertThat(handOverMs).as("the signal's workflow task reached the second worker without waiting for the "
                + "first worker's sticky queue (sticky timeout 5 s); worker shutdown took %d ms", shutdownMs).isLessThan(3_000);
        assertThat(REPLAYS).as("the second worker replayed the run").hasValue(1);

        // The second worker's own sticky queue is untouched: its next task and queries need no replay.
        assertThat(tally.total()).isEqualTo(7);
        tally.add(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> tally.total() == 8);
        assertThat(REPLAYS).hasValue(1);
        tally.add(-1);
        assertThat(WorkflowStub.fromTyped(tally).getResult(30, TimeUnit.SECONDS, Integer.class)).isEqualTo(8);
    }

    @Test
    void pollCanceledByItsCallerDoesNotSwallowTheNextTask() throws Exception {
        PollWorkflowTaskQueueRequest poll = PollWorkflowTaskQueueRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setIdentity(TemporaFixture.IDENTITY)
                .setTaskQueue(TaskQueue.newBuilder().setName(tempora.taskQueue())).build();
        var canceled = tempora.service().futureStub().pollWorkflowTaskQueue(poll);
        Thread.sleep(500); // the poll waits on the server
        canceled.cancel(true);

        String id = tempora.workflowId("after-cancel");
        Tally tally = tempora.client().newWorkflowStub(Tally.class, tempora.options(id));
        long start = System.currentTimeMillis();
        WorkflowClient.start(tally::run);
        PollWorkflowTaskQueueResponse got = tempora.service().blockingStub()
                .withDeadlineAfter(30, TimeUnit.SECONDS).pollWorkflowTaskQueue(poll);

        assertThat(got.getWorkflowExecution().getWorkflowId()).isEqualTo(id);
        assertThat(System.currentTimeMillis() - start).as("delivered at once, not after a dead poller gave it up")
                .isLessThan(3_000);
        WorkflowStub.fromTyped(tally).terminate("test done");
    }
}
