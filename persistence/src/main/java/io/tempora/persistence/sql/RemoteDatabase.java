package io.tempora.persistence.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tempora.persistence.Database;
import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.Sql;
import io.tempora.persistence.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Tempora on a database server (PostgreSQL, MySQL, MariaDB): the same stores and the same commit writer as on SQLite
 * (one connection whose transactions group concurrent transitions), read connections from a pool, the schema from the
 * dialect's migrations. The writer's connection is re-opened (with its session settings and its claim on the database)
 * after the server went away; the pool replaces its own connections.
 */
public final class RemoteDatabase {
    private static final int READERS = 4;
    private static final int WRITER_STATEMENTS = 100;
    private static final int POOL_WAIT_MS = 5000;

    /** What differs between the database servers when Tempora opens one. */
    interface Backend {
        /** The database's name for messages: "PostgreSQL", "MySQL". */
        String label();

        SqlDialect dialect();

        /** The driver's connection properties: credentials, timeouts, the database's own options. */
        Properties connectionProperties(String user, String password);

        /**
         * Claims the database for this server on the writer's session (released when the session ends): until the
         * cluster work lets servers share a database, a second one stops at start instead of fighting over the shards.
         * Returns the session's id. {@code previousSession} (0: none) is this server's session before a reconnect: if
         * the database still counts it alive (the network went away, not the database) and it holds the claim, it is
         * ended first.
         */
        long claim(Connection writer, String where, long previousSession) throws SQLException;

        /** Session settings of every connection (isolation, durability). */
        void configure(Connection c) throws SQLException;

        /** Creates the database {@code url} names unless it exists (for {@code tempora db setup --create-database}). */
        boolean createIfMissing(String url, Properties props) throws SQLException;
    }

    private RemoteDatabase() {}

    /** A {@code jdbc:mysql:} URL as the MariaDB driver's, which speaks to MySQL 8 as well. */
    static String normalize(String url) {
        return url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url;
    }

    /** The backend of a JDBC URL: {@code jdbc:postgresql:}, {@code jdbc:mariadb:} or {@code jdbc:mysql:}. */
    static Backend backend(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new PostgresDatabase();
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return new MysqlDatabase();
        }
        throw new PersistenceException("unsupported database URL " + withoutSecrets(url) + " (jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql:)");
    }

    public static Database open(String url, String user, String password) {
        return open(url, user, password, READERS + 1, true);
    }

    /**
     * At most {@code maxConnections} connections: the writer's and the readers'. With {@code migrate} the missing
     * migrations are applied; without, a schema other than this build's is refused.
     */
    public static Database open(String jdbcUrl, String user, String password, int maxConnections, boolean migrate) {
        String url = normalize(jdbcUrl);
        Backend backend = backend(url);
        if (maxConnections < 2) {
            throw new PersistenceException(backend.label() + " needs at least 2 connections (one writer, one reader), got " + maxConnections);
        }
        String where = backend.label() + " database " + withoutSecrets(url);
        Properties props = backend.connectionProperties(user, password);
        java.util.concurrent.atomic.AtomicLong session = new java.util.concurrent.atomic.AtomicLong();
        GroupCommitWriter.ConnectionSource writerSource = () -> {
            Connection c = DriverManager.getConnection(url, props);
            try {
                session.set(backend.claim(c, where, session.get()));
                backend.configure(c);
                return StatementCache.wrap(c, WRITER_STATEMENTS);
            } catch (SQLException | RuntimeException e) {
                OpenFailures.closeQuietly(c);
                throw e;
            }
        };
        Connection writer = null;
        HikariDataSource readers = null;
        try {
            writer = writerSource.open();
            Schema schema = schema(url, user, password);
            if (migrate) {
                schema.migrate();
            } else {
                schema.requireCurrent();
            }
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setDataSourceProperties(props);
            config.setMaximumPoolSize(maxConnections - 1);
            config.setConnectionTimeout(POOL_WAIT_MS); // a reader waits this long for a database that went away
            config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            config.setPoolName("tempora-" + backend.dialect().name() + "-readers");
            readers = new HikariDataSource(config);
            return new Database(readers, new GroupCommitWriter(writer, writerSource), () -> { }, new Sql(backend.dialect()));
        } catch (SQLException | RuntimeException e) {
            OpenFailures.closeQuietly(writer);
            if (readers != null) {
                readers.close();
            }
            throw e instanceof PersistenceException pe ? pe : new PersistenceException("cannot open " + where + ": " + OpenFailures.rootMessage(e), e);
        }
    }

    /** The schema of the database {@code url} names, migrated by the dialect's Flyway migrations. */
    public static Schema schema(String jdbcUrl, String user, String password) {
        String url = normalize(jdbcUrl);
        Backend backend = backend(url);
        return new Schema(backend.dialect().name(), url, user, password, backend.label() + " database " + withoutSecrets(url));
    }

    /** Creates the database {@code url} names unless it exists (false: it did); its name must be a plain identifier. */
    public static boolean createIfMissing(String jdbcUrl, String user, String password) {
        String url = normalize(jdbcUrl);
        Backend backend = backend(url);
        String name = databaseName(url);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new PersistenceException("database name '" + name + "' must be a plain identifier to be created");
        }
        try {
            return backend.createIfMissing(url, backend.connectionProperties(user, password));
        } catch (SQLException e) {
            throw new PersistenceException("creating database " + name + " failed: " + OpenFailures.rootMessage(e), e);
        }
    }

    /** The database a URL names: the path after host:port. */
    static String databaseName(String url) {
        String base = withoutSecrets(url);
        return base.substring(base.lastIndexOf('/') + 1);
    }

    /** The URL with its database replaced (parameters kept). */
    static String withDatabase(String url, String database) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (q < 0 ? "" : url.substring(q));
    }

    /** The URL as it may be printed: parameters (which can hold a password) left out. */
    public static String withoutSecrets(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
