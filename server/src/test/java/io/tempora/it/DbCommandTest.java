package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code tempora db setup|migrate|version} as an operator runs it, and a server that refuses a schema newer than it
 * knows, with one line.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DbCommandTest {
    private static final String LATEST = "4";

    private static String lastLine(String output) {
        return output.lines().filter(l -> !l.startsWith("WARNING") && !l.isBlank()).reduce((a, b) -> b).orElse("");
    }

    @Test
    void theSchemaOfASqliteFileIsSetUpMigratedAndReported() throws Exception {
        Path dir = Files.createDirectories(TemporaFixture.itTargetDir().resolve("db-command-" + TemporaFixture.shortId()));
        Path db = dir.resolve("tempora.db");
        var before = TemporaProcess.runCli("db", "version", "--db-filename", db.toString());
        assertThat(before.exitCode()).as(before.output()).isZero();
        assertThat(lastLine(before.output())).endsWith("schema version none (this Tempora: " + LATEST + ")");
        var setup = TemporaProcess.runCli("db", "setup", "--db-filename", db.toString());
        assertThat(lastLine(setup.output())).endsWith("schema at version " + LATEST + " (" + LATEST + " migrations applied)");
        var again = TemporaProcess.runCli("db", "migrate", "--db-filename", db.toString());
        assertThat(lastLine(again.output())).endsWith("schema at version " + LATEST + " (0 migrations applied)");

        // A newer Tempora migrated it: this one refuses to touch it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                    + " installed_by, execution_time, success) VALUES (99, '99', 'future', 'SQL', 'V99__future.sql', 0, 'test', 0, 1)");
        }
        String refusal = "database file " + db.toAbsolutePath() + " has schema version 99, newer than this Tempora's (" + LATEST + ")";
        var migrate = TemporaProcess.runCli("db", "migrate", "--db-filename", db.toString());
        assertThat(migrate.exitCode()).isEqualTo(1);
        assertThat(lastLine(migrate.output())).startsWith("error: " + refusal);
        var server = TemporaProcess.runCli("server", "start-dev", "--port", String.valueOf(TemporaProcess.freePort()), "--db-filename", db.toString());
        assertThat(server.exitCode()).isEqualTo(1);
        assertThat(server.output().lines().filter(l -> l.startsWith("error:"))).singleElement().asString().startsWith("error: " + refusal);
    }

    @Test
    void aPostgresDatabaseIsCreatedAndSetUpFromTheConfig() throws Exception {
        String admin = System.getenv(io.tempora.persistence.sql.PostgresTestDatabases.ENV);
        org.junit.jupiter.api.Assumptions.assumeTrue(admin != null, "PostgreSQL tests skipped: set " + io.tempora.persistence.sql.PostgresTestDatabases.ENV);
        String name = "tempora_dbcmd_" + TemporaFixture.shortId().replace("-", "");
        Path dir = Files.createDirectories(TemporaFixture.itTargetDir().resolve("db-command-pg-" + TemporaFixture.shortId()));
        String rest = admin.substring("jdbc:postgresql://".length());
        String hostPort = rest.substring(0, rest.indexOf('/'));
        Path config = dir.resolve("tempora.yaml");
        Files.writeString(config, "persistence:\n  defaultStore: default\n  datastores:\n    default:\n      sql:\n"
                + "        pluginName: postgres12\n        databaseName: " + name + "\n        connectAddr: " + hostPort + "\n"
                + "        user: postgres\n");
        try {
            var setup = TemporaProcess.runCli("db", "setup", "--config", config.toString(), "--create-database");
            assertThat(setup.exitCode()).as(setup.output()).isZero();
            assertThat(setup.output()).contains("database " + name + " created");
            assertThat(lastLine(setup.output())).endsWith("schema at version " + LATEST + " (" + LATEST + " migrations applied)");
            var version = TemporaProcess.runCli("db", "version", "--config", config.toString());
            assertThat(lastLine(version.output())).endsWith("schema version " + LATEST + " (this Tempora: " + LATEST + ")");
        } finally {
            try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}
