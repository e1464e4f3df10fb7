package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tempora.persistence.sql.TestDatabases;
import io.tempora.server.ServerConfig;
import io.tempora.server.TemporaServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database going away under a running server (every connection dropped, new ones refused, through a TCP proxy):
 * calls fail with UNAVAILABLE instead of hanging, the server stays up, and once the database is back it serves again
 * without a restart, workflows started before the outage included.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DatabaseOutageTest {
    @ActivityInterface
    public interface Echo {
        String echo(String input);
    }

    public static class EchoImpl implements Echo {
        @Override
        public String echo(String input) {
            return input;
        }
    }

    @WorkflowInterface
    public interface SleepThenEcho {
        @WorkflowMethod
        String run(String input, int sleepSeconds);
    }

    public static class SleepThenEchoImpl implements SleepThenEcho {
        @Override
        public String run(String input, int sleepSeconds) {
            Workflow.sleep(Duration.ofSeconds(sleepSeconds));
            return Workflow.newActivityStub(Echo.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).build()).echo(input);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Server.class)
    void callsFailWithUnavailableWhileTheDatabaseIsGoneAndTheServerRecoversWhenItIsBack(TestDatabases.Server kind) throws Exception {
        behindProxy(kind, (proxy, stubs) -> {
            WorkerFactory factory = null;
            try {
                WorkflowClient client = TemporaFixture.newClient(stubs);
                String taskQueue = "outage-" + UUID.randomUUID();
                factory = WorkerFactory.newInstance(client);
                Worker worker = factory.newWorker(taskQueue);
                worker.registerWorkflowImplementationTypes(SleepThenEchoImpl.class);
                worker.registerActivitiesImplementations(new EchoImpl());
                factory.start();

                assertThat(start(client, taskQueue, "before", 0).getResult(String.class)).isEqualTo("before");
                // Running across the outage: its timer fires while the database is gone or after it is back.
                WorkflowStub across = start(client, taskQueue, "across", 3);

                proxy.cut();
                long cutAt = System.nanoTime();
                // The raw call (the SDK's client would retry UNAVAILABLE for a minute).
                assertThatThrownBy(() -> stubs.blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS).startWorkflowExecution(
                        io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                                .setWorkflowId("outage-during-" + UUID.randomUUID()).setRequestId(UUID.randomUUID().toString())
                                .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName("SleepThenEcho"))
                                .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(taskQueue)).build()))
                        .satisfies(e -> assertThat(statusOf(e)).isEqualTo(Status.Code.UNAVAILABLE));
                assertThat(Duration.ofNanos(System.nanoTime() - cutAt)).as("a call during the outage fails, it does not hang")
                        .isLessThan(Duration.ofSeconds(30));
                Thread.sleep(3000);

                proxy.restore();
                WorkflowStub after = retryWhileUnavailable(() -> start(client, taskQueue, "after", 0));
                assertThat(after.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("after");
                assertThat(across.getResult(60, TimeUnit.SECONDS, String.class)).isEqualTo("across");
                var described = stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE).setExecution(WorkflowExecution.newBuilder()
                                .setWorkflowId(across.getExecution().getWorkflowId())).build());
                assertThat(described.getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
            } finally {
                if (factory != null) {
                    TemporaFixture.stopFactory(factory);
                }
            }
        });
    }

    /**
     * The network goes away but the database does not notice (its side of every connection stays open): the old
     * writer session still holds the server's claim on the database, so the reconnecting writer ends it first.
     */
    @ParameterizedTest
    @EnumSource(TestDatabases.Server.class)
    void afterAPartitionTheWriterEndsItsOwnLostSessionAndServesAgain(TestDatabases.Server kind) throws Exception {
        behindProxy(kind, (proxy, stubs) -> {
            WorkflowClient client = TemporaFixture.newClient(stubs);
            String taskQueue = "partition-" + UUID.randomUUID();
            start(client, taskQueue, "before", 0);
            proxy.partition();
            Thread.sleep(1000);
            proxy.restore();
            WorkflowStub after = retryWhileUnavailable(() -> start(client, taskQueue, "after", 0));
            var described = stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(TemporaFixture.NAMESPACE).setExecution(after.getExecution()).build());
            assertThat(described.getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        });
    }

    /** What a test does with a server whose database is behind {@code proxy}. */
    @FunctionalInterface
    private interface Scenario {
        void run(TcpProxy proxy, WorkflowServiceStubs stubs) throws Exception;
    }

    /** Runs the scenario on a server (in this JVM) whose database of {@code kind} it reaches through a TCP proxy. */
    private static void behindProxy(TestDatabases.Server kind, Scenario scenario) throws Exception {
        TestDatabases.Created database = TestDatabases.create(kind);
        URI target = URI.create(database.url().substring("jdbc:".length()));
        try (TcpProxy proxy = new TcpProxy(target.getHost(), target.getPort())) {
            String viaProxy = database.url().replace(target.getHost() + ":" + target.getPort(), "127.0.0.1:" + proxy.port());
            TemporaServer server = TemporaServer.start(new ServerConfig("127.0.0.1", 0, null, 4, List.of(TemporaFixture.NAMESPACE))
                    .withDatabaseUrl(viaProxy));
            WorkflowServiceStubs stubs = TemporaFixture.newStubs(server.target());
            try {
                scenario.run(proxy, stubs);
            } finally {
                TemporaFixture.closeStubs(stubs);
                server.close();
            }
        } finally {
            database.drop();
        }
    }

    private static WorkflowStub start(WorkflowClient client, String taskQueue, String input, int sleepSeconds) {
        WorkflowStub stub = client.newUntypedWorkflowStub("SleepThenEcho", WorkflowOptions.newBuilder().setTaskQueue(taskQueue)
                .setWorkflowId("outage-" + input + "-" + UUID.randomUUID()).setWorkflowRunTimeout(Duration.ofMinutes(2)).build());
        stub.start(input, sleepSeconds);
        return stub;
    }

    private static Status.Code statusOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException sre) {
                return sre.getStatus().getCode();
            }
        }
        return null;
    }

    private static <T> T retryWhileUnavailable(java.util.function.Supplier<T> call) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (statusOf(e) != Status.Code.UNAVAILABLE || System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
