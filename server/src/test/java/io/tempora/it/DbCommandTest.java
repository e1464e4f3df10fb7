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

    /**
     * On a database server: setup creates the database and its schema; a server started from the config (without
     * migrateOnStart) refuses a database without the schema and one whose schema is older than its own.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(io.tempora.persistence.sql.TestDatabases.Server.class)
    void aServerDatabaseIsCreatedAndSetUpFromTheConfig(io.tempora.persistence.sql.TestDatabases.Server server) throws Exception {
        String admin = io.tempora.persistence.sql.TestDatabases.adminUrl(server);
        String name = "tempora_dbcmd_" + TemporaFixture.shortId().replace("-", "");
        Path dir = Files.createDirectories(TemporaFixture.itTargetDir().resolve("db-command-" + server + "-" + TemporaFixture.shortId()));
        String rest = admin.substring(admin.indexOf("://") + 3);
        String hostPort = rest.substring(0, rest.indexOf('/'));
        Path config = dir.resolve("tempora.yaml");
        Files.writeString(config, "persistence:\n  defaultStore: default\n  datastores:\n    default:\n      sql:\n"
                + "        pluginName: " + server.pluginName + "\n        databaseName: " + name + "\n        connectAddr: " + hostPort + "\n"
                + "        connectAttributes: { " + new io.tempora.persistence.sql.TestDatabases.Created(server, admin, name, admin).urlParameters() + " }\n"
                + "services: { frontend: { rpc: { grpcPort: " + TemporaProcess.freePort() + " } } }\n");
        String url = admin.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1");
        try {
            var setup = TemporaProcess.runCli("db", "setup", "--config", config.toString(), "--create-database");
            assertThat(setup.exitCode()).as(setup.output()).isZero();
            assertThat(setup.output()).contains("database " + name + " created");
            assertThat(lastLine(setup.output())).endsWith("schema at version " + LATEST + " (" + LATEST + " migrations applied)");
            var version = TemporaProcess.runCli("db", "version", "--config", config.toString());
            assertThat(lastLine(version.output())).endsWith("schema version " + LATEST + " (this Tempora: " + LATEST + ")");

            // As if this database had been set up by the Tempora before the last migration.
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '" + LATEST + "'");
            }
            var old = TemporaProcess.runCli("server", "start", "--config", config.toString());
            assertThat(old.exitCode()).as(old.output()).isEqualTo(1);
            assertThat(lastLine(old.output())).contains("has schema version " + (Integer.parseInt(LATEST) - 1) + ", older than this Tempora's (" + LATEST
                    + "): run tempora db migrate first");
        } finally {
            try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name
                        + (server == io.tempora.persistence.sql.TestDatabases.Server.POSTGRESQL ? " WITH (FORCE)" : ""));
            }
        }
    }

    @Test
    void aServerStartedFromAConfigRefusesADatabaseWithoutTheSchema() throws Exception {
        var database = io.tempora.persistence.sql.TestDatabases.postgres();
        try {
            Path dir = Files.createDirectories(TemporaFixture.itTargetDir().resolve("db-command-empty-" + TemporaFixture.shortId()));
            Path config = dir.resolve("tempora.yaml");
            Files.writeString(config, "persistence:\n  defaultStore: default\n  datastores:\n    default:\n      sql:\n"
                    + "        pluginName: postgres12\n        databaseName: " + database.name() + "\n        connectAddr: " + database.hostAndPort()
                    + "\n        connectAttributes: { " + database.urlParameters() + " }\n"
                    + "services: { frontend: { rpc: { grpcPort: " + TemporaProcess.freePort() + " } } }\n");
            var start = TemporaProcess.runCli("server", "start", "--config", config.toString());
            assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
            assertThat(lastLine(start.output())).isEqualTo("error: PostgreSQL database " + io.tempora.persistence.sql.RemoteDatabase.withoutSecrets(database.url())
                    + " has no Tempora schema: run tempora db setup first (or set persistence.migrateOnStart: true)");
        } finally {
            database.drop();
        }
    }

    /** A database server that is not there: the server stops at once with one line naming it, and a non-zero status. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"postgres12", "mysql8"})
    void aServerWhoseDatabaseIsUnreachableStopsWithOneLine(String plugin) throws Exception {
        int nothingThere = TemporaProcess.freePort();
        Path dir = Files.createDirectories(TemporaFixture.itTargetDir().resolve("db-unreachable-" + TemporaFixture.shortId()));
        Path config = dir.resolve("tempora.yaml");
        Files.writeString(config, "persistence:\n  defaultStore: default\n  datastores:\n    default:\n      sql:\n"
                + "        pluginName: " + plugin + "\n        databaseName: tempora\n        connectAddr: 127.0.0.1:" + nothingThere + "\n"
                + "services: { frontend: { rpc: { grpcPort: " + TemporaProcess.freePort() + " } } }\n");
        var start = TemporaProcess.runCli("server", "start", "--config", config.toString());
        assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
        java.util.List<String> errors = start.output().lines().filter(l -> l.startsWith("error:")).toList();
        assertThat(errors).as(start.output()).hasSize(1);
        assertThat(errors.get(0)).startsWith("error: cannot open " + (plugin.equals("mysql8") ? "MySQL database jdbc:mariadb://" : "PostgreSQL database jdbc:postgresql://")
                + "127.0.0.1:" + nothingThere + "/tempora: ").containsIgnoringCase("refused");
    }
}
