package io.tempora.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of SQL work run on a connection the caller does not own (inside a transaction for writes). */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
