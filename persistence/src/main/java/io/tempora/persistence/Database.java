package io.tempora.persistence;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Read connections plus the writer every store uses. One per server process. */
public final class Database implements AutoCloseable {
    private final HikariDataSource readers;
    private final TransactionRunner writer;
    private final AutoCloseable ownership;
    private final Sql sql;

    /**
     * {@code ownership} is what makes this process the database's only user (e.g. a file lock), released last;
     * {@code sql} the statements in the database's dialect.
     */
    public Database(HikariDataSource readers, TransactionRunner writer, AutoCloseable ownership, Sql sql) {
        this.readers = readers;
        this.writer = writer;
        this.ownership = ownership;
        this.sql = sql;
    }

    public Sql sql() {
        return sql;
    }

    public <T> T read(SqlWork<T> work) {
        try (Connection c = readers.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new PersistenceException("read failed: " + e.getMessage(), e);
        }
    }

    public TransactionRunner writer() {
        return writer;
    }

    public <T> T write(SqlWork<T> work) {
        return writer.run(work);
    }

    @Override
    public void close() {
        writer.close();
        readers.close();
        try {
            ownership.close();
        } catch (Exception e) {
            throw new PersistenceException("releasing the database failed: " + e.getMessage(), e);
        }
    }
}
