package io.tempora.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of SQL work run on a connection the caller does not own (inside a transaction for writes). A write unit is
 * plain SQL on that connection and lets every SQLException out: the writer may run it again (after a rollback), and
 * on PostgreSQL a failed statement the unit swallowed would leave the whole transaction aborted.
 */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
