package io.tempora.it;

import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.server.ServerConfig;
import io.tempora.server.TemporaServer;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Signals and child workflows in flight survive a SIGKILL of the server process. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MessagingKillRecoveryTest {

    @WorkflowInterface
    public interface Child {
        @WorkflowMethod
        int run(int value);
    }

    public static class ChildImpl implements Child {
        @Override
        public int run(int value) {
            Workflow.sleep(Duration.ofSeconds(2));
            return value * 10;
        }
    }

    @WorkflowInterface
    public interface Parent {
        @WorkflowMethod
        int run(int children);

        @SignalMethod
        void go(int offset);
    }

    public static class ParentImpl implements Parent {
        private Integer offset;

        @Override
        public int run(int children) {
            Workflow.await(() -> offset != null);
            List<Promise<Integer>> results = new ArrayList<>();
            for (int i = 0; i < children; i++) {
                Child child = Workflow.newChildWorkflowStub(Child.class, ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child-" + i).build());
                results.add(Async.function(child::run, i));
            }
            int sum = offset;
            for (Promise<Integer> r : results) {
                sum += r.get();
            }
            return sum;
        }

        @Override
        public void go(int value) {
            offset = value;
        }
    }

    private TemporaProcess server;
    private final List<WorkerFactory> factories = new ArrayList<>();
    private final List<WorkflowServiceStubs> stubs = new ArrayList<>();

    @AfterEach
    void stop() {
        factories.forEach(TemporaFixture::stopFactory);
        stubs.forEach(TemporaFixture::closeStubs);
        if (server != null) {
            server.close();
        }
    }

    private WorkflowClient client() {
        WorkflowServiceStubs s = TemporaFixture.newStubs(server.target());
        stubs.add(s);
        return TemporaFixture.newClient(s);
    }

    private void startWorker(WorkflowClient client, String taskQueue) {
        WorkerFactory f = WorkerFactory.newInstance(client);
        factories.add(f);
        f.newWorker(taskQueue).registerWorkflowImplementationTypes(ParentImpl.class, ChildImpl.class);
        f.start();
    }

    @Test
    void signalAndChildWorkflowsSurviveServerKill() throws Exception {
        server = TemporaProcess.create("messagingKill");
        server.start();
        String taskQueue = "tq-messaging-" + TemporaFixture.shortId();
        String id = "parent-" + TemporaFixture.shortId();
        WorkflowClient client = client();
        startWorker(client, taskQueue);
        Parent parent = client.newWorkflowStub(Parent.class, WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue).setWorkflowId(id).setWorkflowTaskTimeout(Duration.ofSeconds(3)).build());
        WorkflowClient.start(parent::run, 3);
        parent.go(5); // acknowledged: must survive
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                Histories.count(Histories.events(client, id), EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED) == 3);

        server.kill();
        factories.forEach(TemporaFixture::stopFactory);
        factories.clear();
        server.start();

        WorkflowClient after = client();
        startWorker(after, taskQueue);
        int result = after.newUntypedWorkflowStub(id).getResult(60, TimeUnit.SECONDS, Integer.class);
        assertThat(result).isEqualTo(5 + 0 + 10 + 20);
        List<HistoryEvent> events = Histories.events(after, id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).isEqualTo(1);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)).isEqualTo(3);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)).isEqualTo(3);

        factories.forEach(TemporaFixture::stopFactory);
        factories.clear();
        server.kill();
        try (TemporaServer inJvm = TemporaServer.start(server.inJvmConfig(List.of(NAMESPACE)))) {
            assertThat(inJvm.verifyAllRebuilds()).isEmpty();
        }
    }
}
