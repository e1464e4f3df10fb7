package io.tempora.frontend;

import io.tempora.common.ServiceErrors;
import io.tempora.common.Times;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.persistence.NamespaceRegistry;
import io.tempora.persistence.NamespaceStore;
import io.temporal.api.enums.v1.NamespaceState;
import io.temporal.api.operatorservice.v1.DeleteNamespaceRequest;
import io.temporal.api.operatorservice.v1.DeleteNamespaceResponse;

/**
 * OperatorService DeleteNamespace as the official server does it: the namespace is marked deleted and renamed to
 * {@code <name>-deleted-<first characters of its id>} at once (so the name is free again), and its runs, visibility
 * records and finally the namespace itself are deleted in the background (the history role's NamespaceReclaimer).
 */
final class NamespaceDeleteApi {
    /** The official server's own namespace, which cannot be deleted. */
    static final String SYSTEM_NAMESPACE = "temporal-system";
    private static final int SUFFIX_LENGTH = 5;

    private final NamespaceRegistry registry;

    NamespaceDeleteApi(NamespaceRegistry registry) {
        this.registry = registry;
    }

    DeleteNamespaceResponse delete(DeleteNamespaceRequest r) {
        if (!r.getNamespace().isEmpty() && !r.getNamespaceId().isEmpty()) {
            throw ServiceErrors.invalidArgument("Only one of namespace name or Id should be set on request.");
        }
        if (r.getNamespace().isEmpty() && r.getNamespaceId().isEmpty()) {
            throw ServiceErrors.invalidArgument("Namespace not set on request.");
        }
        NamespaceRecord ns = (r.getNamespace().isEmpty() ? registry.byId(r.getNamespaceId()) : registry.byName(r.getNamespace()))
                .orElseThrow(() -> ServiceErrors.namespaceNotFound(r.getNamespace().isEmpty() ? r.getNamespaceId() : r.getNamespace()));
        if (ns.getName().equals(SYSTEM_NAMESPACE)) {
            throw ServiceErrors.failedPrecondition("unable to delete system namespace");
        }
        if (ns.getDeletedTimeMs() > 0) {
            return DeleteNamespaceResponse.newBuilder().setDeletedNamespace(ns.getName()).build(); // already under way
        }
        long delayMs = r.hasNamespaceDeleteDelay() ? Math.max(0, Times.toMillis(r.getNamespaceDeleteDelay())) : 0; // saturated, never negative
        long now = System.currentTimeMillis();
        for (int length = SUFFIX_LENGTH; ; length++) {
            String newName = ns.getName() + "-deleted-" + ns.getId().substring(0, Math.min(length, ns.getId().length()));
            try {
                NamespaceRecord deleted = registry.update(ns.getId(), current -> current.getDeletedTimeMs() > 0
                        ? current
                        : current.toBuilder().setName(newName).setState(NamespaceState.NAMESPACE_STATE_DELETED_VALUE)
                                .setDeletedTimeMs(now).setDeleteDelayMs(delayMs).build())
                        .orElseThrow(() -> ServiceErrors.namespaceNotFound(ns.getName()));
                return DeleteNamespaceResponse.newBuilder().setDeletedNamespace(deleted.getName()).build();
            } catch (NamespaceStore.AlreadyExistsException e) {
                if (length >= ns.getId().length()) {
                    throw e;
                }
                // the name is taken (by a namespace registered under the deleted name's name): a longer suffix
            }
        }
    }
}
