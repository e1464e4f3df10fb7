package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
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
 * Queries go to the sticky queue of the worker that has the run cached, which answers from its cache without
 * replaying the history; when that worker is gone they fall back to the normal queue, as on the official server.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StickyQueryTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    /** How often any worker replayed a Counter from its start (a full replay). */
    static final AtomicInteger REPLAYS = new AtomicInteger();

    @WorkflowInterface
    public interface Counter {
        @WorkflowMethod
        int run();

        @SignalMethod
        void add(int amount);

        @QueryMethod
        int total();
    }

    public static class CounterImpl implements Counter {
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

    private Counter startOn(WorkerFactory factory, String id) {
        Worker worker = factory.newWorker(tempora.taskQueue());
        worker.registerWorkflowImplementationTypes(CounterImpl.class);
        factory.start();
        Counter counter = tempora.client().newWorkflowStub(Counter.class, tempora.options(id));
        WorkflowClient.start(counter::run);
        // Signal only after the first task completed: a signal that lands before it starts joins that task.
        await().atMost(Duration.ofSeconds(20)).until(() -> Histories.count(Histories.events(tempora.client(), id),
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) >= 1);
        counter.add(5);
        await().atMost(Duration.ofSeconds(20)).until(() -> Histories.count(Histories.events(tempora.client(), id),
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) >= 2);
        return counter;
    }

    @Test
    void queriesAreAnsweredFromTheStickyWorkersCacheWithoutReplay() {
        String id = tempora.workflowId("sticky-query");
        Counter counter = startOn(tempora.workerFactory(), id);
        REPLAYS.set(0);
        for (int i = 0; i < 5; i++) {
            assertThat(counter.total()).isEqualTo(5);
        }
        assertThat(REPLAYS).as("full replays for queries of a cached run").hasValue(0);
        counter.add(-1);
        assertThat(WorkflowStub.fromTyped(counter).getResult(Integer.class)).isEqualTo(5);
    }

    @Test
    void queryFallsBackToTheNormalQueueWhenTheStickyWorkerIsGone() throws Exception {
        String id = tempora.workflowId("sticky-gone");
        WorkerFactory first = tempora.newWorkerFactory(tempora.client(), null);
        Counter counter = startOn(first, id);
        TemporaFixture.stopFactory(first);

        // Another worker on the same task queue, without the run in its cache.
        long secondStarted = System.currentTimeMillis();
        WorkerFactory second = tempora.newWorkerFactory(tempora.newIsolatedClient(), null);
        second.newWorker(tempora.taskQueue()).registerWorkflowImplementationTypes(CounterImpl.class);
        second.start();
        // The first worker said it shut down, so a query fails fast until the second one polls (as on the official
        // server, which forgets a worker that shut down): wait for its poll.
        await().atMost(Duration.ofSeconds(20)).until(() -> tempora.service().blockingStub().describeTaskQueue(
                io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                        .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(tempora.taskQueue())).build())
                .getPollersList().stream().anyMatch(p -> com.google.protobuf.util.Timestamps.toMillis(p.getLastAccessTime()) >= secondStarted));
        REPLAYS.set(0);
        assertThat(counter.total()).isEqualTo(5);
        assertThat(REPLAYS).as("the new worker replayed the run to answer").hasValue(1);
        // The next query goes to the new worker's sticky queue: no replay.
        counter.add(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> counter.total() == 7);
        int replays = REPLAYS.get();
        assertThat(counter.total()).isEqualTo(7);
        assertThat(REPLAYS).hasValue(replays);
        counter.add(-1);
        assertThat(WorkflowStub.fromTyped(counter).getResult(30, TimeUnit.SECONDS, Integer.class)).isEqualTo(7);
    }
}
