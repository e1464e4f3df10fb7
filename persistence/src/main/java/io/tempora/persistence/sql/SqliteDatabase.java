package io.tempora.persistence.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tempora.persistence.Database;
import io.tempora.persistence.PersistenceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Opens the embedded SQLite database: held by this process alone (a lock file next to it), WAL journal with full
 * fsync on commit (a transition is acknowledged only once on disk), schema migrated by Flyway, one group-committing
 * writer connection, pooled readers.
 */
public final class SqliteDatabase {
    /** Prepared statements the writer keeps compiled (a transition uses about a dozen distinct ones). */
    private static final int WRITER_STATEMENTS = 100;
    private SqliteDatabase() {}

    public static Database open(Path file) {
        return open(file, java.util.function.UnaryOperator.identity());
    }

    /** {@code wrapWriter} wraps the writer (a seam for tests that need to hold or fail commits). */
    public static Database open(Path file, java.util.function.UnaryOperator<io.tempora.persistence.TransactionRunner> wrapWriter) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new PersistenceException("database file " + absolute + " is a directory");
        }
        if (Files.exists(absolute) && !Files.isReadable(absolute)) {
            throw new PersistenceException("database file " + absolute + " is not readable");
        }
        // Before anything touches the file: a second server on it would take the shards of the first.
        FileOwnership ownership = FileOwnership.acquire(absolute);
        String url = "jdbc:sqlite:" + absolute;
        Connection writerConnection = null;
        try {
            writerConnection = DriverManager.getConnection(url);
            configure(writerConnection);
            Schema.sqlite(absolute).migrate();
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(4);
            config.setPoolName("tempora-sqlite-readers");
            config.setConnectionInitSql("PRAGMA busy_timeout=10000");
            HikariDataSource readers = new HikariDataSource(config);
            return new Database(readers, wrapWriter.apply(new GroupCommitWriter(StatementCache.wrap(writerConnection, WRITER_STATEMENTS))), ownership,
                    new io.tempora.persistence.Sql(new SqliteDialect()));
        } catch (SQLException | RuntimeException e) {
            OpenFailures.closeQuietly(writerConnection);
            ownership.close();
            if (e instanceof PersistenceException pe) {
                throw pe;
            }
            throw new PersistenceException("cannot open database file " + absolute + ": " + OpenFailures.rootMessage(e), e);
        }
    }

    private static void configure(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=10000");
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=FULL");
            // Touch the schema so a file that is not a database fails here, not on the first request.
            st.executeQuery("SELECT count(*) FROM sqlite_master").close();
        }
    }
}
