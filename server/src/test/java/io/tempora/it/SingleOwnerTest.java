package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tempora.server.ServerConfig;
import io.tempora.server.TemporaServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One server owns a database: a second one on the same SQLite file refuses to start before touching anything, a
 * shard whose lease was taken is re-acquired instead of failing every write from then on, and the shard count is
 * part of the data.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SingleOwnerTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

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
    public interface OneActivity {
        @WorkflowMethod
        String run(String input);
    }

    public static class OneActivityImpl implements OneActivity {
        @Override
        public String run(String input) {
            return Workflow.newActivityStub(Echo.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).build()).echo(input);
        }
    }

    private static String runOneWorkflow(WorkflowClient client, String taskQueue) {
        OneActivity wf = client.newWorkflowStub(OneActivity.class, WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue).setWorkflowId("single-owner-" + UUID.randomUUID()).build());
        return wf.run("ping");
    }

    private static List<String> errorLines(String output) {
        return output.lines().filter(l -> !l.startsWith("WARNING:") && !l.isBlank()).toList();
    }

    @Test
    void secondServerOnTheSameFileRefusesToStartAndLeavesTheFirstAlone() throws Exception {
        try (TemporaProcess first = TemporaProcess.create("owner")) {
            first.start();
            WorkflowServiceStubs stubs = TemporaFixture.newStubs(first.target());
            WorkflowClient client = TemporaFixture.newClient(stubs);
            WorkerFactory factory = WorkerFactory.newInstance(client);
            String queue = "owner-" + TemporaFixture.shortId();
            Worker worker = factory.newWorker(queue);
            worker.registerWorkflowImplementationTypes(OneActivityImpl.class);
            worker.registerActivitiesImplementations(new EchoImpl());
            factory.start();
            try {
                assertThat(runOneWorkflow(client, queue)).isEqualTo("ping");
                for (String port : List.of(String.valueOf(TemporaProcess.freePort()), String.valueOf(first.port()))) {
                    var second = TemporaProcess.runCli(first.secondServerArgs(Integer.parseInt(port)));
                    assertThat(second.exitCode()).as("second server on port %s: %s", port, second.output()).isEqualTo(1);
                    assertThat(errorLines(second.output())).as("output of the second server").hasSize(1).first().asString()
                            .startsWith(switch (TemporaFixture.BACKEND) {
                                case "sqlite" -> "error: database file ";
                                case "postgresql" -> "error: PostgreSQL database ";
                                default -> "error: MySQL database ";
                            })
                            .contains("is in use by another Tempora server");
                }
                // The first server never noticed.
                assertThat(runOneWorkflow(client, queue)).isEqualTo("ping");
                assertThat(runOneWorkflow(client, queue)).isEqualTo("ping");
            } finally {
                factory.shutdownNow();
                factory.awaitTermination(10, TimeUnit.SECONDS);
                TemporaFixture.closeStubs(stubs);
            }
        }
    }

    @Test
    void shardWhoseLeaseWasTakenIsReacquired() throws Exception {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(OneActivityImpl.class);
        worker.registerActivitiesImplementations(new EchoImpl());
        tempora.startWorkers();
        assertThat(runOneWorkflow(tempora.client(), tempora.taskQueue())).isEqualTo("ping");
        // Someone else takes every shard's lease behind the server's back.
        try (Connection c = DriverManager.getConnection(tempora.jdbcUrl());
             Statement st = c.createStatement()) {
            if (TemporaFixture.BACKEND.equals("sqlite")) {
                st.execute("PRAGMA busy_timeout=10000");
            }
            st.executeUpdate("UPDATE shards SET range_id = range_id + 1");
        }
        // The server takes its shards back: workflows keep running (the SDK retries the UNAVAILABLE in between).
        for (int i = 0; i < 5; i++) {
            assertThat(runOneWorkflow(tempora.client(), tempora.taskQueue())).isEqualTo("ping");
        }
    }

    @Test
    void shardCountIsStoredWithTheData() throws Exception {
        Path dir = Files.createDirectories(TemporaFixture.itTargetDir().resolve("shard-count-" + TemporaFixture.shortId()));
        Path db = dir.resolve("tempora.db");
        TemporaServer.start(new ServerConfig("127.0.0.1", 0, db, 4, List.of("default"))).close();
        assertThatThrownBy(() -> TemporaServer.start(new ServerConfig("127.0.0.1", 0, db, 8, List.of("default"))))
                .hasMessageContaining("created with 4 history shards");
        var cli = TemporaProcess.runCli("server", "start-dev", "--port", String.valueOf(TemporaProcess.freePort()),
                "--db-filename", db.toString(), "--num-shards", "8");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(errorLines(cli.output())).hasSize(1).first().asString()
                .isEqualTo("error: database file " + db.toAbsolutePath() + " was created with 4 history shards; start it with --num-shards 4");
        TemporaServer.start(new ServerConfig("127.0.0.1", 0, db, 4, List.of("default"))).close();
    }
}
