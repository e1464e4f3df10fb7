package io.tempora.frontend;

import io.tempora.common.ServiceErrors;
import io.tempora.common.Times;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.persistence.NamespaceRegistry;
import io.tempora.persistence.NamespaceStore;
import io.temporal.api.enums.v1.ArchivalState;
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.namespace.v1.NamespaceConfig;
import io.temporal.api.namespace.v1.NamespaceInfo;
import io.temporal.api.replication.v1.ClusterReplicationConfig;
import io.temporal.api.replication.v1.NamespaceReplicationConfig;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.ListNamespacesRequest;
import io.temporal.api.workflowservice.v1.ListNamespacesResponse;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceResponse;

/** Register, describe and list namespaces; resolves the namespace of every other request. */
final class NamespaceApi {
    static final String CLUSTER_NAME = "active";
    private static final long MIN_RETENTION_MS = 24L * 3600 * 1000;

    private final NamespaceRegistry registry;

    NamespaceApi(NamespaceRegistry registry) {
        this.registry = registry;
    }

    NamespaceRecord resolve(String name) {
        if (name.isEmpty()) {
            throw ServiceErrors.invalidArgument("Namespace not set on request.");
        }
        return registry.byName(name).orElseThrow(() -> ServiceErrors.namespaceNotFound(name));
    }

    RegisterNamespaceResponse register(RegisterNamespaceRequest r) {
        if (r.getNamespace().isEmpty()) {
            throw ServiceErrors.invalidArgument("Namespace not set on request.");
        }
        if (r.getNamespace().length() > 1000) {
            throw ServiceErrors.invalidArgument("Namespace length exceeds limit.");
        }
        long retention = r.hasWorkflowExecutionRetentionPeriod() ? Times.toMillis(r.getWorkflowExecutionRetentionPeriod())
                : NamespaceRegistry.DEFAULT_RETENTION_MS;
        if (retention < MIN_RETENTION_MS) {
            throw ServiceErrors.invalidArgument("Retention period is less than minimum allowed (24h0m0s).");
        }
        try {
            registry.register(NamespaceRecord.newBuilder()
                    .setName(r.getNamespace())
                    .setDescription(r.getDescription())
                    .setOwnerEmail(r.getOwnerEmail())
                    .setRetentionMs(retention)
                    .setState(NamespaceState.NAMESPACE_STATE_REGISTERED_VALUE)
                    .putAllData(r.getDataMap()));
        } catch (NamespaceStore.AlreadyExistsException e) {
            throw ServiceErrors.namespaceAlreadyExists(r.getNamespace());
        }
        return RegisterNamespaceResponse.getDefaultInstance();
    }

    DescribeNamespaceResponse describe(DescribeNamespaceRequest r) {
        NamespaceRecord ns;
        if (!r.getId().isEmpty()) {
            ns = registry.byId(r.getId()).orElseThrow(() -> ServiceErrors.namespaceNotFound(r.getId()));
        } else {
            ns = resolve(r.getNamespace());
        }
        return toDescription(ns);
    }

    ListNamespacesResponse list(ListNamespacesRequest r) {
        ListNamespacesResponse.Builder b = ListNamespacesResponse.newBuilder();
        registry.list().forEach(ns -> b.addNamespaces(toDescription(ns)));
        return b.build();
    }

    private static DescribeNamespaceResponse toDescription(NamespaceRecord ns) {
        return DescribeNamespaceResponse.newBuilder()
                .setNamespaceInfo(NamespaceInfo.newBuilder()
                        .setName(ns.getName())
                        .setId(ns.getId())
                        .setState(NamespaceState.forNumber(ns.getState()))
                        .setDescription(ns.getDescription())
                        .setOwnerEmail(ns.getOwnerEmail())
                        .putAllData(ns.getDataMap())
                        // What works in every namespace: updates waited for and polled (no eager workflow start yet).
                        .setCapabilities(NamespaceInfo.Capabilities.newBuilder().setSyncUpdate(true).setAsyncUpdate(true)))
                .setConfig(NamespaceConfig.newBuilder()
                        .setWorkflowExecutionRetentionTtl(Times.duration(ns.getRetentionMs()))
                        .setHistoryArchivalState(ArchivalState.ARCHIVAL_STATE_DISABLED)
                        .setVisibilityArchivalState(ArchivalState.ARCHIVAL_STATE_DISABLED))
                .setReplicationConfig(NamespaceReplicationConfig.newBuilder()
                        .setActiveClusterName(CLUSTER_NAME)
                        .addClusters(ClusterReplicationConfig.newBuilder().setClusterName(CLUSTER_NAME)))
                .setIsGlobalNamespace(false)
                .build();
    }
}
