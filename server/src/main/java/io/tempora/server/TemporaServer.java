package io.tempora.server;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.tempora.common.Limits;
import io.tempora.frontend.WorkflowServiceHandler;
import io.tempora.history.HistoryEngine;
import io.tempora.matching.MatchingEngine;
import io.tempora.persistence.Database;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.NamespaceRegistry;
import io.tempora.persistence.NamespaceStore;
import io.tempora.persistence.HistoryTaskStore;
import io.tempora.persistence.ShardStore;
import io.tempora.persistence.TaskStore;
import io.tempora.persistence.sql.SqliteDatabase;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One Tempora server with every role in this JVM (start-dev): persistence, history, matching and the
 * frontend's gRPC endpoint. The only place that knows every module.
 */
public final class TemporaServer implements AutoCloseable {
    /**
     * The transport takes much larger messages than the gRPC limit, so that the frontend can refuse a request over
     * the limit with the official status (the transport's own refusal reads differently to the SDKs).
     */
    private static final long MIN_TRANSPORT_MESSAGE_BYTES = 128L * 1024 * 1024;

    private final Database database;
    private final HistoryEngine history;
    private final Server grpc;
    private final Path temporaryDbFile;
    private final String ip;

    private TemporaServer(Database database, HistoryEngine history, Server grpc, Path temporaryDbFile, String ip) {
        this.database = database;
        this.history = history;
        this.grpc = grpc;
        this.temporaryDbFile = temporaryDbFile;
        this.ip = ip;
    }

    public static TemporaServer start(ServerConfig config) throws IOException {
        Limits limits = config.limits();
        ServerConfig.SqlStore store = config.sqlStore();
        boolean sqlite = store == null;
        Path temporary = sqlite && config.dbFile() == null ? temporaryDatabaseFile() : null;
        Path dbFile = config.dbFile() != null ? config.dbFile() : temporary;
        Database db = sqlite ? SqliteDatabase.open(dbFile) : io.tempora.persistence.sql.RemoteDatabase.open(store.jdbcUrl(), store.user(), store.password(),
                store.maxConnections(), store.migrateOnStart());
        HistoryEngine history = null;
        try {
            io.tempora.persistence.ClusterMetadataStore clusterMetadata = new io.tempora.persistence.ClusterMetadataStore(db);
            try {
                clusterMetadata.checkShardCount(config.numShards());
            } catch (io.tempora.persistence.ClusterMetadataStore.ShardCountMismatchException e) {
                String where = sqlite ? "database file " + dbFile.toAbsolutePath() : "database " + store.jdbcUrl().replaceAll("\\?.*", "");
                throw new io.tempora.persistence.PersistenceException(where + " " + e.getMessage(), e);
            }
            NamespaceRegistry namespaces = new NamespaceRegistry(new NamespaceStore(db));
            config.namespaces().forEach(namespaces::ensure);
            io.tempora.frontend.SearchAttributesApi searchAttributes = new io.tempora.frontend.SearchAttributesApi(namespaces);
            if (!config.searchAttributes().isEmpty()) {
                for (String namespace : config.namespaces()) {
                    searchAttributes.add(io.temporal.api.operatorservice.v1.AddSearchAttributesRequest.newBuilder()
                            .setNamespace(namespace).putAllSearchAttributes(config.searchAttributes()).build());
                }
            }
            ExecutionStore executions = new ExecutionStore(db);
            TaskStore taskStore = new TaskStore(db);
            io.tempora.persistence.visibility.VisibilityStore visibility = new io.tempora.persistence.visibility.VisibilityStore(db);
            history = new HistoryEngine(config.numShards(), limits, namespaces, new ShardStore(db), executions, new HistoryTaskStore(db), visibility,
                    clusterMetadata, taskStore);
            HistoryEngine local = history;
            // Every caller of history goes through the router; on a single node this engine owns every shard.
            io.tempora.common.rpc.HistoryService router = new io.tempora.history.ShardRouter(local::shardOf, shard -> local);
            MatchingEngine matching = new MatchingEngine(taskStore, router, new io.tempora.matching.MatchingConfig(
                    limits.taskQueueIdleMs(), limits.matchingBatchSize(), io.tempora.matching.MatchingConfig.defaults().maxBufferedQueryTasks(),
                    limits.syncMatchWaitMs()));
            history.start(matching, router);
            HealthStatusManager health = new HealthStatusManager();
            java.util.concurrent.atomic.AtomicReference<String> address = new java.util.concurrent.atomic.AtomicReference<>(config.ip());
            io.temporal.api.workflowservice.v1.GetClusterInfoResponse clusterInfo = io.tempora.frontend.ClusterInfo.of(
                    clusterMetadata.clusterId(), config.numShards());
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(config.ip(), config.port()))
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE,
                            Math.max(MIN_TRANSPORT_MESSAGE_BYTES, 4L * limits.grpcMaxMessageBytes())))
                    .intercept(new io.tempora.frontend.MessageLimitsInterceptor(limits.grpcMaxMessageBytes(), limits.maxServiceErrorMessageLength()))
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .addService(new WorkflowServiceHandler(namespaces, router, matching, limits, new io.tempora.frontend.VisibilityApi(visibility),
                            clusterInfo, address::get))
                    .addService(new io.tempora.frontend.OperatorServiceHandler(searchAttributes, namespaces))
                    .addService(io.tempora.frontend.admin.AdminServiceHandler.service(local.deadLetters(), () -> local.describeMemory()
                            .setHeapUsedBytes(Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory())
                            .setHeapMaxBytes(Runtime.getRuntime().maxMemory())
                            .setLoadedTaskQueuePartitions(matching.loadedPartitions()).build()))
                    .addService(health.getHealthService())
                    .addService(ProtoReflectionService.newInstance())
                    .build()
                    .start();
            address.set(config.ip() + ":" + server.getPort());
            health.setStatus(WorkflowServiceGrpc.SERVICE_NAME, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
            return new TemporaServer(db, history, server, temporary, config.ip());
        } catch (io.grpc.StatusRuntimeException e) {
            if (history != null) {
                history.close();
            }
            db.close();
            throw new IllegalArgumentException(e.getStatus().getDescription(), e); // a --search-attribute the registry refused
        } catch (IOException | RuntimeException e) {
            if (history != null) {
                history.close();
            }
            db.close();
            throw e;
        }
    }

    /** "In memory" means a file on tmpfs when there is one, deleted when the server stops. */
    private static Path temporaryDatabaseFile() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return dir.resolve("tempora-" + UUID.randomUUID() + ".db");
    }

    public int port() {
        return grpc.getPort();
    }

    public String target() {
        return ip + ":" + port();
    }

    /** For every stored run: MutableState rebuilt from history vs the persisted one; returns the mismatches. */
    public List<String> verifyAllRebuilds() {
        return history.verifyRebuilds();
    }

    public void awaitTermination() throws InterruptedException {
        grpc.awaitTermination();
    }

    @Override
    public void close() {
        grpc.shutdown();
        try {
            if (!grpc.awaitTermination(3, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
                grpc.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        history.close();
        database.close();
        if (temporaryDbFile != null) {
            for (String suffix : List.of("", "-wal", "-shm")) {
                try {
                    Files.deleteIfExists(Path.of(temporaryDbFile + suffix));
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }
}
