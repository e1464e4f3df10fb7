package io.tempora.persistence.sql;

import java.sql.Connection;
import java.sql.SQLException;

/** What opening a database needs when it fails: the innermost message for the one-line error, a quiet close. */
final class OpenFailures {
    private OpenFailures() {}

    /** The innermost message of the cause chain (an EOFException often has none: then the one around it). */
    static String rootMessage(Throwable e) {
        String message = e.toString();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
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
