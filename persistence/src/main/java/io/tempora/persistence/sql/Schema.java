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

    private Schema(String dialect, String url, String user, String password, String where) {
        this.flyway = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration/" + dialect).load();
        this.where = where;
    }

    public static Schema sqlite(java.nio.file.Path file) {
        return new Schema(new SqliteDialect().name(), "jdbc:sqlite:" + file.toAbsolutePath(), "", "", "database file " + file.toAbsolutePath());
    }

    public static Schema postgres(String url, String user, String password) {
        return new Schema(new PostgresDialect().name(), url, user, password, "PostgreSQL database " + PostgresDatabase.withoutSecrets(url));
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
        Version v = version();
        if (v.current() != null && v.latest() != null
                && MigrationVersion.fromVersion(v.current()).compareTo(MigrationVersion.fromVersion(v.latest())) > 0) {
            throw new PersistenceException(where + " has schema version " + v.current() + ", newer than this Tempora's ("
                    + v.latest() + "): run a Tempora at least as new as the one that migrated it");
        }
        try {
            return flyway.migrate().migrationsExecuted;
        } catch (RuntimeException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new PersistenceException("migrating the schema of " + where + " failed: " + first, e);
        }
    }
}
