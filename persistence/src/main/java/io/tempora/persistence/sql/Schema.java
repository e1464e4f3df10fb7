package io.tempora.persistence.sql;

import io.tempora.persistence.PersistenceException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;

/**
 * A database's schema: the version it is at and the migrations (Flyway, one folder per dialect) that bring it to
 * this build's. A database at a newer version than this build knows is refused: an older Tempora must not write to
 * tables it does not understand.
 */
public final class Schema {
    /** The schema version of a database (null: none yet) and the one this build brings it to. */
    public record Version(String current, String latest) {}

    private final Flyway flyway;
    private final String where;

    Schema(String dialect, String url, String user, String password, String where) {
        this.flyway = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration/" + dialect).load();
        this.where = where;
    }

    public static Schema sqlite(java.nio.file.Path file) {
        return new Schema(new SqliteDialect().name(), "jdbc:sqlite:" + file.toAbsolutePath(), "", "", "database file " + file.toAbsolutePath());
    }

    /** A database server's schema ({@code jdbc:postgresql:}, {@code jdbc:mariadb:}, {@code jdbc:mysql:}). */
    public static Schema remote(String url, String user, String password) {
        return RemoteDatabase.schema(url, user, password);
    }

    /** Refuses a database whose schema is not this build's: none yet, older (run the schema tool) or newer. */
    public void requireCurrent() {
        Version v = version();
        refuseNewer(v);
        if (v.current() == null) {
            throw new PersistenceException(where + " has no Tempora schema: run tempora db setup first (or set"
                    + " persistence.migrateOnStart: true)");
        }
        if (!v.current().equals(v.latest())) {
            throw new PersistenceException(where + " has schema version " + v.current() + ", older than this Tempora's ("
                    + v.latest() + "): run tempora db migrate first (or set persistence.migrateOnStart: true)");
        }
    }

    private void refuseNewer(Version v) {
        if (v.current() != null && v.latest() != null
                && MigrationVersion.fromVersion(v.current()).compareTo(MigrationVersion.fromVersion(v.latest())) > 0) {
            throw new PersistenceException(where + " has schema version " + v.current() + ", newer than this Tempora's ("
                    + v.latest() + "): run a Tempora at least as new as the one that migrated it");
        }
    }

    public Version version() {
        MigrationInfo current = flyway.info().current();
        MigrationInfo[] all = flyway.info().all();
        String latest = null;
        for (MigrationInfo m : all) {
            if (m.getVersion() != null && m.getState().isResolved()) {
                latest = m.getVersion().getVersion();
            }
        }
        return new Version(current == null ? null : current.getVersion().getVersion(), latest);
    }

    /** Applies the migrations the database lacks; returns how many. Refuses a schema newer than this build's. */
    public int migrate() {
        refuseNewer(version());
        try {
            return flyway.migrate().migrationsExecuted;
        } catch (RuntimeException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new PersistenceException("migrating the schema of " + where + " failed: " + first, e);
        }
    }
}
