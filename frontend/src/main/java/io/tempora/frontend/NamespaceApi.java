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
import io.temporal.api.workflowservice.v1.DeprecateNamespaceRequest;
import io.temporal.api.workflowservice.v1.DeprecateNamespaceResponse;
import io.temporal.api.workflowservice.v1.UpdateNamespaceRequest;
import io.temporal.api.workflowservice.v1.UpdateNamespaceResponse;
import java.util.List;

/** Register, describe and list namespaces; resolves the namespace of every other request. */
final class NamespaceApi {
    static final String CLUSTER_NAME = ClusterInfo.CLUSTER_NAME;
    /** The official common.MaxWorkflowRetentionPeriod: 10 years. */
    private static final long MAX_RETENTION_MS = 10L * 365 * 24 * 3600 * 1000;
    /** ListNamespaces: the official namespace handler's page size when none is asked for, and Tempora's bound. */
    private static final int DEFAULT_LIST_PAGE_SIZE = 100;
    private static final int MAX_LIST_PAGE_SIZE = 1000;

    private final NamespaceRegistry registry;
    /** The shortest retention of a (local) namespace: system.namespaceMinRetentionLocal. */
    private final long minRetentionMs;

    NamespaceApi(NamespaceRegistry registry, long minRetentionMs) {
        this.registry = registry;
        this.minRetentionMs = minRetentionMs;
    }

    /** As the official validateRetentionDuration: within [minimum, 10 years]. */
    private void checkRetention(long retentionMs) {
        if (retentionMs < minRetentionMs || retentionMs > MAX_RETENTION_MS) {
            throw ServiceErrors.invalidArgument("A valid retention period is not set on request.");
        }
    }

    /** The states most requests accept, and those a new run needs (official namespace validator). */
    private static final List<NamespaceState> REGISTERED_OR_DEPRECATED = List.of(NamespaceState.NAMESPACE_STATE_REGISTERED,
            NamespaceState.NAMESPACE_STATE_DEPRECATED);
    private static final List<NamespaceState> REGISTERED = List.of(NamespaceState.NAMESPACE_STATE_REGISTERED);

    /** The namespace of a request; a deleted one is refused. */
    NamespaceRecord resolve(String name) {
        return resolve(name, REGISTERED_OR_DEPRECATED);
    }

    /** The namespace of a request that starts a run: only a registered one takes it. */
    NamespaceRecord resolveForStart(String name) {
        return resolve(name, REGISTERED);
    }

    private NamespaceRecord resolve(String name, List<NamespaceState> allowed) {
        NamespaceRecord ns = lookup(name);
        NamespaceState state = NamespaceState.forNumber(ns.getState());
        if (!allowed.contains(state)) {
            throw ServiceErrors.namespaceInvalidState(name, state, allowed);
        }
        return ns;
    }

    /** The namespace by name whatever its state (DescribeNamespace). */
    private NamespaceRecord lookup(String name) {
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
        checkRetention(retention);
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
            ns = lookup(r.getNamespace());
        }
        return toDescription(ns);
    }

    /** Namespaces by name, a page at a time (the token is the last name of the page; 100 by default, at most 1000). */
    ListNamespacesResponse list(ListNamespacesRequest r) {
        int size = r.getPageSize() <= 0 ? DEFAULT_LIST_PAGE_SIZE : Math.min(r.getPageSize(), MAX_LIST_PAGE_SIZE);
        String after = r.getNextPageToken().toStringUtf8();
        List<NamespaceRecord> all = registry.list().stream()
                .filter(ns -> r.getNamespaceFilter().getIncludeDeleted() || ns.getState() != NamespaceState.NAMESPACE_STATE_DELETED_VALUE)
                .filter(ns -> after.isEmpty() || ns.getName().compareTo(after) > 0)
                .sorted(java.util.Comparator.comparing(NamespaceRecord::getName))
                .toList();
        ListNamespacesResponse.Builder b = ListNamespacesResponse.newBuilder();
        all.stream().limit(size).forEach(ns -> b.addNamespaces(toDescription(ns)));
        if (all.size() > size) {
            b.setNextPageToken(com.google.protobuf.ByteString.copyFromUtf8(all.get(size - 1).getName()));
        }
        return b.build();
    }

    /**
     * UpdateNamespace as the official handler: a non-empty description or owner replaces the old one, data is merged,
     * retention is checked; archival stays disabled since the cluster has none.
     */
    UpdateNamespaceResponse update(UpdateNamespaceRequest r) {
        NamespaceRecord ns = resolve(r.getNamespace());
        if (r.hasConfig() && r.getConfig().hasWorkflowExecutionRetentionTtl()) {
            checkRetention(Times.toMillis(r.getConfig().getWorkflowExecutionRetentionTtl()));
        }
        NamespaceRecord updated = registry.update(ns.getId(), current -> {
            // Checked on the record being changed: a DeleteNamespace in between must not be undone.
            checkNotDeleted(current);
            if (r.hasUpdateInfo()) {
                checkStateChange(NamespaceState.forNumber(current.getState()), r.getUpdateInfo().getState());
            }
            NamespaceRecord.Builder next = current.toBuilder();
            if (r.hasUpdateInfo()) {
                var info = r.getUpdateInfo();
                if (!info.getDescription().isEmpty()) {
                    next.setDescription(info.getDescription());
                }
                if (!info.getOwnerEmail().isEmpty()) {
                    next.setOwnerEmail(info.getOwnerEmail());
                }
                next.putAllData(info.getDataMap());
                if (info.getState() != NamespaceState.NAMESPACE_STATE_UNSPECIFIED && info.getState() != NamespaceState.UNRECOGNIZED) {
                    next.setState(info.getStateValue());
                }
            }
            if (r.hasConfig() && r.getConfig().hasWorkflowExecutionRetentionTtl()) {
                next.setRetentionMs(Times.toMillis(r.getConfig().getWorkflowExecutionRetentionTtl()));
            }
            return next.build();
        }).orElseThrow(() -> ServiceErrors.namespaceNotFound(r.getNamespace()));
        DescribeNamespaceResponse d = toDescription(updated);
        return UpdateNamespaceResponse.newBuilder().setNamespaceInfo(d.getNamespaceInfo()).setConfig(d.getConfig())
                .setReplicationConfig(d.getReplicationConfig()).setIsGlobalNamespace(false).build();
    }

    /** The official state machine: Registered may become Deprecated or Deleted, Deprecated only Deleted, Deleted nothing. */
    private static void checkStateChange(NamespaceState from, NamespaceState to) {
        if (to == NamespaceState.NAMESPACE_STATE_UNSPECIFIED || to == from) {
            return;
        }
        boolean allowed = switch (from) {
            case NAMESPACE_STATE_REGISTERED -> to == NamespaceState.NAMESPACE_STATE_DEPRECATED || to == NamespaceState.NAMESPACE_STATE_DELETED;
            case NAMESPACE_STATE_DEPRECATED -> to == NamespaceState.NAMESPACE_STATE_DELETED;
            default -> false;
        };
        if (!allowed) {
            throw ServiceErrors.invalidArgument("Invalid namespace state update.");
        }
    }

    /** DeprecateNamespace (deprecated API): the namespace's state becomes Deprecated. */
    DeprecateNamespaceResponse deprecate(DeprecateNamespaceRequest r) {
        NamespaceRecord ns = resolve(r.getNamespace());
        registry.update(ns.getId(), current -> {
            checkNotDeleted(current);
            return current.toBuilder().setState(NamespaceState.NAMESPACE_STATE_DEPRECATED_VALUE).build();
        });
        return DeprecateNamespaceResponse.getDefaultInstance();
    }

    private static void checkNotDeleted(NamespaceRecord current) {
        if (current.getState() == NamespaceState.NAMESPACE_STATE_DELETED_VALUE) {
            throw ServiceErrors.namespaceInvalidState(current.getName(), NamespaceState.NAMESPACE_STATE_DELETED, REGISTERED_OR_DEPRECATED);
        }
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
