package io.tempora.persistence.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tempora.persistence.Database;
import io.tempora.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Tempora on PostgreSQL: the same stores and the same commit writer as on SQLite (one connection whose transactions
 * group concurrent transitions), read connections from a pool, the schema from the {@code postgresql} migrations.
 * Commits are acknowledged once PostgreSQL reports them durable ({@code synchronous_commit = on}). Until the cluster
 * work lets several servers share a database, the writer's session holds an advisory lock: a second server on the
 * same database stops at start instead of fighting over the shards.
 */
public final class PostgresDatabase {
    /** The advisory lock key of "the Tempora server of this database" (any fixed number: the ASCII of "tempora"). */
    static final long SERVER_LOCK = 0x74656d706f7261L;
    private static final int READERS = 4;
    private static final int WRITER_STATEMENTS = 100;

    private PostgresDatabase() {}

    /** {@code url}: a JDBC URL {@code jdbc:postgresql://host:port/database}, user and password as its parameters or given. */
    public static Database open(String url, String user, String password) {
        return open(url, user, password, READERS + 1);
    }

    /** As above, with at most {@code maxConnections} connections (the writer's and the readers'). */
    public static Database open(String url, String user, String password, int maxConnections) {
        if (maxConnections < 2) {
            throw new PersistenceException("PostgreSQL needs at least 2 connections (one writer, one reader), got " + maxConnections);
        }
        Properties props = connectionProperties(user, password);
        Connection writer = null;
        try {
            writer = DriverManager.getConnection(url, props);
            lockServer(writer, url);
            Schema.postgres(url, props.getProperty("user"), props.getProperty("password")).migrate();
            try (Statement st = writer.createStatement()) {
                st.execute("SET synchronous_commit = on");
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setDataSourceProperties(props);
            config.setMaximumPoolSize(maxConnections - 1);
            config.setPoolName("tempora-postgresql-readers");
            HikariDataSource readers = new HikariDataSource(config);
            return new Database(readers, new GroupCommitWriter(StatementCache.wrap(writer, WRITER_STATEMENTS)), () -> { },
                    new io.tempora.persistence.Sql(new PostgresDialect()));
        } catch (SQLException | RuntimeException e) {
            OpenFailures.closeQuietly(writer);
            throw e instanceof PersistenceException pe ? pe
                    : new PersistenceException("cannot open PostgreSQL database " + withoutSecrets(url) + ": " + OpenFailures.rootMessage(e), e);
        }
    }

    /**
     * Parameters sent untyped ({@code stringtype=unspecified}): PostgreSQL then takes a string for the JSONB
     * search attribute column as it takes one for a text column.
     */
    private static Properties connectionProperties(String user, String password) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("stringtype", "unspecified");
        props.setProperty("ApplicationName", "tempora");
        return props;
    }

    private static void lockServer(Connection c, String url) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + SERVER_LOCK + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new PersistenceException("PostgreSQL database " + withoutSecrets(url) + " is in use by another Tempora server");
            }
        }
    }

    /** The URL as it may be printed: parameters (which can hold a password) left out. */
    static String withoutSecrets(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
