package io.tempora.persistence;

import io.tempora.common.proto.NamespaceRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Namespaces by id and unique name. */
public final class NamespaceStore {
    public static class AlreadyExistsException extends PersistenceException {
        public AlreadyExistsException(String name) {
            super("namespace " + name + " already exists");
        }
    }

    private final Database db;

    private final Sql sql;

    public NamespaceStore(Database db) {
        this.db = db;
        this.sql = db.sql();
    }

    /** Create-if-absent: a name (or id) already taken is {@link AlreadyExistsException}, whoever wrote it first. */
    public void create(NamespaceRecord ns) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.insertNamespace)) {
                ps.setString(1, ns.getId());
                ps.setString(2, ns.getName());
                ps.setBytes(3, ns.toByteArray());
                ps.executeUpdate();
            } catch (java.sql.SQLException e) {
                if (sql.dialect.isUniqueViolation(e)) {
                    throw new AlreadyExistsException(ns.getName());
                }
                throw e;
            }
            return null;
        });
    }

    /**
     * Changes a namespace: {@code change} sees the stored record and returns the new one (or the same, to write
     * nothing). The write is conditional on the record read, and a concurrent change makes it read and apply again.
     * Returns the record as stored afterwards; empty if there is no such namespace.
     */
    public Optional<NamespaceRecord> update(String id, java.util.function.UnaryOperator<NamespaceRecord> change) {
        for (int attempt = 1; ; attempt++) {
            // The compare-and-set binds the bytes as stored: re-serializing what was parsed need not give them back.
            Optional<byte[]> stored = storedBytes(id);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            Optional<NamespaceRecord> current = Optional.of(parse(stored.get()));
            NamespaceRecord changed = change.apply(current.get());
            if (changed.equals(current.get())) {
                return current;
            }
            NamespaceRecord next = changed.toBuilder().setVersion(current.get().getVersion() + 1).build();
            boolean written = db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.updateNamespace)) {
                    ps.setBytes(1, next.toByteArray());
                    ps.setString(2, next.getName());
                    ps.setString(3, id);
                    ps.setBytes(4, stored.get());
                    return ps.executeUpdate() == 1;
                } catch (java.sql.SQLException e) {
                    if (sql.dialect.isUniqueViolation(e)) {
                        throw new AlreadyExistsException(next.getName()); // renamed onto a name in use
                    }
                    throw e;
                }
            });
            if (written) {
                return Optional.of(next);
            }
            if (attempt >= 5) {
                throw new ConditionFailedException("namespace " + id + " keeps changing, please retry");
            }
        }
    }

    /** Removes the namespace row (the end of DeleteNamespace). */
    public void delete(String id) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.deleteNamespace)) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
    }

    public Optional<NamespaceRecord> getByName(String name) {
        return queryOne(sql.namespaceByName, name);
    }

    public Optional<NamespaceRecord> getById(String id) {
        return queryOne(sql.namespaceById, id);
    }

    public List<NamespaceRecord> list() {
        return db.read(c -> {
            List<NamespaceRecord> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.listNamespaces);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(ProtoRows.parse("namespace", () -> NamespaceRecord.parseFrom(rs.getBytes(1))));
                }
            }
            return all;
        });
    }

    private Optional<NamespaceRecord> queryOne(String sql, String arg) {
        return queryBytes(sql, arg).map(NamespaceStore::parse);
    }

    private static NamespaceRecord parse(byte[] bytes) {
        try {
            return NamespaceRecord.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new PersistenceException("corrupt namespace record", e);
        }
    }

    private Optional<byte[]> storedBytes(String id) {
        return queryBytes(sql.namespaceById, id);
    }

    private Optional<byte[]> queryBytes(String sql, String arg) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            }
        });
    }
}
