package io.tempora.persistence.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** What opening a database needs when it fails: the innermost message for the one-line error, a quiet close. */
final class OpenFailures {
    private OpenFailures() {}

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing
            }
        }
    }
}
