package io.tempora.persistence;

import io.tempora.common.proto.NamespaceRecord;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Resolves namespaces by name or id; a read-through cache over the store. A cached record is only ever replaced by
 * a newer version (a slow read cannot put back what an update replaced); a rename or delete drops the old name.
 */
public final class NamespaceRegistry {
    public static final long DEFAULT_RETENTION_MS = 24L * 3600 * 1000;

    private final NamespaceStore store;
    private final ConcurrentMap<String, NamespaceRecord> byName = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, NamespaceRecord> byId = new ConcurrentHashMap<>();
    /** Ids deleted while this process runs: a read from before the delete must not cache them again (few: admin deletes). */
    private final java.util.Set<String> deleted = ConcurrentHashMap.newKeySet();

    public NamespaceRegistry(NamespaceStore store) {
        this.store = store;
    }

    public Optional<NamespaceRecord> byName(String name) {
        NamespaceRecord cached = byName.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<NamespaceRecord> loaded = store.getByName(name);
        loaded.ifPresent(this::remember);
        return loaded;
    }

    public Optional<NamespaceRecord> byId(String id) {
        NamespaceRecord cached = byId.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<NamespaceRecord> loaded = store.getById(id);
        loaded.ifPresent(this::remember);
        return loaded;
    }

    public List<NamespaceRecord> list() {
        return store.list();
    }

    /** Registers a namespace; throws {@link NamespaceStore.AlreadyExistsException} if the name is taken. */
    public NamespaceRecord register(NamespaceRecord.Builder ns) {
        if (ns.getId().isEmpty()) {
            ns.setId(UUID.randomUUID().toString());
        }
        NamespaceRecord record = ns.setCreatedTimeMs(System.currentTimeMillis()).build();
        store.create(record);
        remember(record);
        return record;
    }

    /** Creates the namespace unless it exists (start-dev's pre-created namespaces). */
    public void ensure(String name) {
        if (byName(name).isEmpty()) {
            register(NamespaceRecord.newBuilder().setName(name).setRetentionMs(DEFAULT_RETENTION_MS)
                    .setState(io.temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED_VALUE));
        }
    }

    /** Changes a namespace durably (see {@link NamespaceStore#update}) and caches the result. */
    public Optional<NamespaceRecord> update(String id, java.util.function.UnaryOperator<NamespaceRecord> change) {
        Optional<NamespaceRecord> updated = store.update(id, change);
        updated.ifPresent(this::remember);
        return updated;
    }

    /** Removes the namespace for good. */
    public synchronized void delete(String id) {
        store.delete(id);
        deleted.add(id);
        NamespaceRecord gone = byId.remove(id);
        if (gone != null) {
            byName.remove(gone.getName(), gone);
        }
    }

    private synchronized void remember(NamespaceRecord ns) {
        if (deleted.contains(ns.getId())) {
            return;
        }
        NamespaceRecord cached = byId.get(ns.getId());
        if (cached != null && cached.getVersion() > ns.getVersion()) {
            return;
        }
        if (cached != null && !cached.getName().equals(ns.getName())) {
            byName.remove(cached.getName(), cached);
        }
        byName.put(ns.getName(), ns);
        byId.put(ns.getId(), ns);
    }
}
