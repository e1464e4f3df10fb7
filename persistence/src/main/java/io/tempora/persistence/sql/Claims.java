package io.tempora.persistence.sql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What claiming a database needs on every server: how long a reconnecting writer waits for the database to end its
 * own lost session (and release its claim), and one-value queries.
 */
final class Claims {
    static final Logger log = LoggerFactory.getLogger(Claims.class);
    /** Checks, 100 ms apart. */
    static final int ATTEMPTS = 30;

    private Claims() {}

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.tempora.persistence.PersistenceException("interrupted while claiming the database");
        }
    }

    static long queryLong(java.sql.Connection c, String query) throws java.sql.SQLException {
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1); // 0 for NULL
        }
    }

    static boolean queryBoolean(java.sql.Connection c, String query) throws java.sql.SQLException {
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
