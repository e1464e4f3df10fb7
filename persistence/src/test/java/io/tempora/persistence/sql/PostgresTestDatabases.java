package io.tempora.persistence.sql;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh PostgreSQL databases for tests, on the server TEMPORA_TEST_POSTGRES_URL names (a JDBC URL of a database the
 * user may create databases from, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}). Without it
 * the test is skipped and says so.
 */
public final class PostgresTestDatabases {
    public static final String ENV = "TEMPORA_TEST_POSTGRES_URL";

    private PostgresTestDatabases() {}

    /** A database created for one test, and how to drop it. */
    public record Created(String adminUrl, String name, String url) {
        /** The server's host:port, as a config file's connectAddr. */
        public String hostAndPort() {
            String rest = adminUrl.substring("jdbc:postgresql://".length());
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
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("dropping test database " + name + " failed", e);
            }
        }
    }

    public static Created create() {
        String admin = System.getenv(ENV);
        Assumptions.assumeTrue(admin != null && !admin.isBlank(),
                "PostgreSQL tests skipped: set " + ENV + " (e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres)");
        String name = "tempora_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("creating test database " + name + " on " + PostgresDatabase.withoutSecrets(admin) + " failed", e);
        }
        return new Created(admin, name, withDatabase(admin, name));
    }

    /** The admin URL with its database replaced (parameters kept). */
    static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
    }
}
