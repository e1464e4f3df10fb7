package io.tempora.persistence.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests, on the servers TEMPORA_TEST_POSTGRES_URL and TEMPORA_TEST_MYSQL_URL name (JDBC URLs of a
 * user that may create databases, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres} and
 * {@code jdbc:mariadb://127.0.0.1:3306/?user=root}). Without TEMPORA_TEST_POSTGRES_URL an embedded PostgreSQL (zonky)
 * is started once per test JVM, unless the tests run as root, which PostgreSQL refuses; without TEMPORA_TEST_MYSQL_URL
 * the MySQL tests are skipped. A skipped test says why.
 */
public final class TestDatabases {
    /** A database server the tests can use. */
    public enum Server {
        POSTGRESQL("TEMPORA_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres", "postgres12", " WITH (FORCE)"),
        MYSQL("TEMPORA_TEST_MYSQL_URL", "jdbc:mariadb://127.0.0.1:3306/?user=root", "mysql8", "");

        public final String env;
        final String example;
        /** The config file's sql.pluginName for it. */
        public final String pluginName;
        final String dropOptions;

        Server(String env, String example, String pluginName, String dropOptions) {
            this.env = env;
            this.example = example;
            this.pluginName = pluginName;
            this.dropOptions = dropOptions;
        }

        /** The server a suite backend name (TEMPORA_TEST_BACKEND: postgresql, mysql) means. */
        public static Server of(String backend) {
            return switch (backend) {
                case "postgresql" -> POSTGRESQL;
                case "mysql", "mariadb" -> MYSQL;
                default -> throw new IllegalArgumentException("unknown test backend " + backend + " (sqlite, postgresql, mysql)");
            };
        }
    }

    private TestDatabases() {}

    /** A database created for one test, and how to drop it. */
    public record Created(Server server, String adminUrl, String name, String url) {
        /** The server's host:port, as a config file's connectAddr. */
        public String hostAndPort() {
            String rest = adminUrl.substring(adminUrl.indexOf("://") + 3);
            return rest.substring(0, rest.indexOf('/'));
        }

        /** The URL's parameters as YAML flow-map entries ({@code user: postgres}), for a config's connectAttributes. */
        public String urlParameters() {
            int q = adminUrl.indexOf('?');
            if (q < 0) {
                return "";
            }
            return java.util.Arrays.stream(adminUrl.substring(q + 1).split("&")).filter(p -> p.contains("="))
                    .map(p -> p.substring(0, p.indexOf('=')) + ": \"" + p.substring(p.indexOf('=') + 1) + "\"")
                    .collect(java.util.stream.Collectors.joining(", "));
        }

        public void drop() {
            try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + server.dropOptions);
            } catch (SQLException e) {
                throw new IllegalStateException("dropping test database " + name + " failed", e);
            }
        }
    }

    public static Created postgres() {
        return create(Server.POSTGRESQL);
    }

    public static Created mysql() {
        return create(Server.MYSQL);
    }

    private static String embeddedUrl;

    /** The admin URL of {@code server}: its variable's, or an embedded PostgreSQL's; skips the test when there is none. */
    public static synchronized String adminUrl(Server server) {
        String admin = System.getenv(server.env);
        if (admin != null && !admin.isBlank()) {
            return admin;
        }
        Assumptions.assumeTrue(server == Server.POSTGRESQL, server + " tests skipped: set " + server.env + " (e.g. " + server.example + ")");
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "PostgreSQL tests skipped: set " + server.env
                + " (e.g. " + server.example + "); an embedded PostgreSQL cannot run as root");
        if (embeddedUrl == null) {
            try {
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres embedded = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (java.io.IOException ignored) {
                        // the JVM is ending
                    }
                }));
                embeddedUrl = embedded.getJdbcUrl("postgres", "postgres").replace("localhost", "127.0.0.1");
            } catch (java.io.IOException e) {
                throw new IllegalStateException("starting an embedded PostgreSQL failed (or set " + server.env + ")", e);
            }
        }
        return embeddedUrl;
    }

    public static Created create(Server server) {
        String admin = adminUrl(server);
        String name = "tempora_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating test database " + name + " on " + RemoteDatabase.withoutSecrets(admin) + " failed", e);
        }
        return new Created(server, admin, name, RemoteDatabase.withDatabase(admin, name));
    }
}
