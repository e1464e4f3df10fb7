package io.tempora.frontend;

import io.temporal.api.workflowservice.v1.GetClusterInfoResponse;

/** What GetClusterInfo answers, with the values the official single-cluster dev server gives. */
public final class ClusterInfo {
    /** The official server's cluster name for start-dev, also the namespaces' active cluster. */
    static final String CLUSTER_NAME = "active";
    /** Persistence and visibility store names as the official server reports its SQL plugin. */
    static final String STORE = "sqlite";

    private ClusterInfo() {}

    public static GetClusterInfoResponse of(String clusterId, int numShards) {
        return GetClusterInfoResponse.newBuilder()
                // The client versions the official server declares support for (headers.VersionChecker).
                .putSupportedClients("temporal-go", "<2.0.0")
                .putSupportedClients("temporal-java", "<2.0.0")
                .putSupportedClients("temporal-php", "<2.0.0")
                .putSupportedClients("temporal-typescript", "<2.0.0")
                .putSupportedClients("temporal-cli", "<2.0.0")
                .putSupportedClients("temporal-server", "<2.0.0")
                .putSupportedClients("temporal-ui", "<3.0.0")
                .setServerVersion(WorkflowServiceHandler.SERVER_VERSION)
                .setClusterId(clusterId)
                .setClusterName(CLUSTER_NAME)
                .setHistoryShardCount(numShards)
                .setPersistenceStore(STORE)
                .setVisibilityStore(STORE)
                .setInitialFailoverVersion(1)
                .setFailoverVersionIncrement(10)
                .build();
    }
}
