package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.tempora.server.ServerConfig;
import io.tempora.server.TemporaServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one in-JVM {@link TemporaServer} per test class (free port, SQLite file
 * under {@code target/tempora-it/}, 4 shards, namespace {@code default}).
 *
 * <p>Per test it hands out a fresh unique task queue and a {@link WorkerFactory}; every worker factory,
 * extra client and stub created through it is shut down after the test. After each test it asserts that
 * {@link TemporaServer#verifyAllRebuilds()} reports no mismatch.
 *
 * <p>Use it as {@code @RegisterExtension static final TemporaFixture tempora = new TemporaFixture();}.
 */
public final class TemporaFixture
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    public static final String NAMESPACE = ServerConfig.DEFAULT_NAMESPACE;
    public static final String IDENTITY = "tempora-it@" + ProcessHandle.current().pid();

    /** Registered in every test server, as a user would with start-dev's --search-attribute. */
    public static final java.util.Map<String, io.temporal.api.enums.v1.IndexedValueType> SEARCH_ATTRIBUTES = java.util.Map.of(
            "CustomKeywordField", io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
            "CustomTextField", io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
            "CustomIntField", io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
            "CustomDoubleField", io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
            "CustomBoolField", io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
            "CustomDatetimeField", io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
            "CustomKeywordListField", io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST);

    private final io.tempora.common.Limits limits;
    private TemporaServer server;
    private Path workDir;
    private WorkflowServiceStubs service;
    private WorkflowClient client;

    // Per test.
    private String taskQueue;
    private String testName;
    private WorkerFactory workerFactory;
    private final List<WorkerFactory> extraFactories = new ArrayList<>();
    private final List<WorkflowServiceStubs> extraStubs = new ArrayList<>();

    /**
     * The backend the suite runs on: SQLite unless TEMPORA_TEST_BACKEND says {@code postgresql} or {@code mysql} (then
     * each test class gets a database of its own on the server TEMPORA_TEST_POSTGRES_URL or TEMPORA_TEST_MYSQL_URL
     * names, dropped afterwards).
     */
    public static final String BACKEND = java.util.Objects.requireNonNullElse(System.getenv("TEMPORA_TEST_BACKEND"), "sqlite");
    private io.tempora.persistence.sql.TestDatabases.Created database;

    public TemporaFixture() {
        this(io.tempora.common.Limits.defaults());
    }

    /** A server with other limits (e.g. small pending-work limits to test their enforcement). */
    public TemporaFixture(io.tempora.common.Limits limits) {
        this.limits = limits;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String className = context.getRequiredTestClass().getSimpleName();
        workDir = Files.createDirectories(itTargetDir().resolve(className + "-" + shortId()));
        Path dbFile = workDir.resolve("tempora.db");
        ServerConfig config = new ServerConfig("127.0.0.1", 0, dbFile, 4, List.of(NAMESPACE), limits, SEARCH_ATTRIBUTES);
        if (!BACKEND.equals("sqlite")) {
            database = io.tempora.persistence.sql.TestDatabases.create(io.tempora.persistence.sql.TestDatabases.Server.of(BACKEND));
            config = config.withDatabaseUrl(database.url());
        }
        server = TemporaServer.start(config);
        assertThat(server.port()).as("actual server port").isPositive();
        service = newStubs(server.target());
        client = newClient(service);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        testName = context.getRequiredTestMethod().getName();
        taskQueue = "tq-" + testName + "-" + shortId();
        workerFactory = WorkerFactory.newInstance(client);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            shutdownWorkers();
        } finally {
            List<String> mismatches = server.verifyAllRebuilds();
            assertThat(mismatches)
                    .as("MutableState rebuilt from history must equal the persisted MutableState (after %s)",
                            testName)
                    .isEmpty();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            shutdownWorkers();
            closeStubs(service);
        } finally {
            service = null;
            client = null;
            if (server != null) {
                server.close();
                server = null;
            }
            if (database != null) {
                database.drop();
                database = null;
            }
        }
    }

    private void shutdownWorkers() {
        List<WorkerFactory> factories = new ArrayList<>(extraFactories);
        if (workerFactory != null) {
            factories.add(workerFactory);
        }
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
        extraFactories.clear();
        workerFactory = null;
        for (WorkflowServiceStubs s : extraStubs) {
            closeStubs(s);
        }
        extraStubs.clear();
    }

    // ---------------------------------------------------------------- accessors

    public TemporaServer server() {
        return server;
    }

    public String target() {
        return server.target();
    }

    /** The server's SQLite file. */
    /** A JDBC URL of the server's database, for tests that read its tables directly. */
    public String jdbcUrl() {
        return database != null ? database.url() : "jdbc:sqlite:" + dbFile();
    }

    public Path dbFile() {
        return workDir.resolve("tempora.db");
    }

    public WorkflowServiceStubs service() {
        return service;
    }

    public WorkflowClient client() {
        return client;
    }

    /** A task queue unique to the current test. */
    public String taskQueue() {
        return taskQueue;
    }

    /** The current test's worker factory (on {@link #client()}); shut down after the test. */
    public WorkerFactory workerFactory() {
        return workerFactory;
    }

    /** A new worker on the current test's task queue in {@link #workerFactory()}. */
    public Worker newWorker() {
        return workerFactory.newWorker(taskQueue);
    }

    /** Starts {@link #workerFactory()}. */
    public void startWorkers() {
        workerFactory.start();
    }

    /** A workflow id unique to this run. */
    public String workflowId(String prefix) {
        return prefix + "-" + testName + "-" + shortId();
    }

    /** Options for a workflow on the current test's task queue. */
    public WorkflowOptions options(String workflowId) {
        return WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(workflowId).build();
    }

    /** A brand-new client on brand-new gRPC stubs (nothing shared with {@link #client()}); closed after the test. */
    public WorkflowClient newIsolatedClient() {
        WorkflowServiceStubs stubs = newStubs(server.target());
        extraStubs.add(stubs);
        return newClient(stubs);
    }

    /** A new worker factory on the given client; shut down after the test. */
    public WorkerFactory newWorkerFactory(WorkflowClient onClient, WorkerFactoryOptions options) {
        WorkerFactory f = options == null
                ? WorkerFactory.newInstance(onClient)
                : WorkerFactory.newInstance(onClient, options);
        extraFactories.add(f);
        return f;
    }

    /** Shuts down a factory now and waits for it (used by tests that simulate a worker restart). */
    public static void stopFactory(WorkerFactory f) {
        f.shutdownNow();
        f.awaitTermination(15, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- static helpers

    public static WorkflowServiceStubs newStubs(String target) {
        return WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    }

    public static WorkflowClient newClient(WorkflowServiceStubs stubs) {
        return WorkflowClient.newInstance(
                stubs, WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE).build());
    }

    public static void closeStubs(WorkflowServiceStubs stubs) {
        if (stubs == null) {
            return;
        }
        try {
            stubs.shutdownNow();
            stubs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    /** {@code <module>/target/tempora-it}. */
    public static Path itTargetDir() {
        String base = System.getProperty("basedir", System.getProperty("user.dir"));
        Path dir = Path.of(base).resolve("target").resolve("tempora-it");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
    }

    public static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
