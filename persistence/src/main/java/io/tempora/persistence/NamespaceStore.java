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

    public NamespaceStore(Database db) {
        this.db = db;
    }

    public void create(NamespaceRecord ns) {
        db.write(c -> {
            try (PreparedStatement check = c.prepareStatement("SELECT 1 FROM namespaces WHERE name = ?")) {
                check.setString(1, ns.getName());
                try (ResultSet rs = check.executeQuery()) {
                    if (rs.next()) {
                        throw new AlreadyExistsException(ns.getName());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO namespaces (id, name, data) VALUES (?, ?, ?)")) {
                ps.setString(1, ns.getId());
                ps.setString(2, ns.getName());
                ps.setBytes(3, ns.toByteArray());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Changes a namespace in one transaction: {@code change} sees the stored record and returns the new one (or the
     * same, to write nothing). Returns the record as stored afterwards; empty if there is no such namespace.
     */
    public Optional<NamespaceRecord> update(String id, java.util.function.UnaryOperator<NamespaceRecord> change) {
        return db.write(c -> {
            NamespaceRecord current;
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM namespaces WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<NamespaceRecord>empty();
                    }
                    current = ProtoRows.parse("namespace", () -> NamespaceRecord.parseFrom(rs.getBytes(1)));
                }
            }
            NamespaceRecord next = change.apply(current);
            if (!next.equals(current)) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE namespaces SET data = ? WHERE id = ?")) {
                    ps.setBytes(1, next.toByteArray());
                    ps.setString(2, id);
                    ps.executeUpdate();
                }
            }
            return Optional.of(next);
        });
    }

    public Optional<NamespaceRecord> getByName(String name) {
        return queryOne("SELECT data FROM namespaces WHERE name = ?", name);
    }

    public Optional<NamespaceRecord> getById(String id) {
        return queryOne("SELECT data FROM namespaces WHERE id = ?", id);
    }

    public List<NamespaceRecord> list() {
        return db.read(c -> {
            List<NamespaceRecord> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM namespaces ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(ProtoRows.parse("namespace", () -> NamespaceRecord.parseFrom(rs.getBytes(1))));
                }
            }
            return all;
        });
    }

    private Optional<NamespaceRecord> queryOne(String sql, String arg) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(ProtoRows.parse("namespace", () -> NamespaceRecord.parseFrom(rs.getBytes(1))))
                            : Optional.empty();
                }
            }
        });
    }
}
