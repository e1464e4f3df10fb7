package io.tempora.persistence.sql;

import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Opening PostgreSQL (12+): commits acknowledged once PostgreSQL reports them durable ({@code synchronous_commit = on}),
 * read committed, and the writer's session holding an advisory lock as its claim on the database.
 */
final class PostgresDatabase implements RemoteDatabase.Backend {
    /** The advisory lock key of "the Tempora server of this database" (any fixed number: the ASCII of "tempora"). */
    static final long SERVER_LOCK = 0x74656d706f7261L;

    @Override
    public String label() {
        return "PostgreSQL";
    }

    @Override
    public SqlDialect dialect() {
        return new PostgresDialect();
    }

    /**
     * Parameters sent untyped ({@code stringtype=unspecified}): PostgreSQL then takes a string for the JSONB search
     * attribute column as it takes one for a text column. Timeouts in seconds: a server that stops answering fails
     * the call instead of holding it.
     */
    @Override
    public Properties connectionProperties(String user, String password) {
        Properties props = credentials(user, password);
        props.setProperty("stringtype", "unspecified");
        props.setProperty("ApplicationName", "tempora");
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        props.setProperty("tcpKeepAlive", "true");
        return props;
    }

    @Override
    public long claim(Connection c, String where, long previousSession) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            if (Claims.queryBoolean(c, "SELECT pg_try_advisory_lock(" + SERVER_LOCK + ")")) {
                return Claims.queryLong(c, "SELECT pg_backend_pid()");
            }
            if (previousSession <= 0 || attempt == Claims.ATTEMPTS || !Claims.queryBoolean(c, "SELECT EXISTS (SELECT 1 FROM pg_locks"
                    + " WHERE locktype = 'advisory' AND granted AND pid = " + previousSession
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))")) {
                throw new PersistenceException(where + " is in use by another Tempora server");
            }
            if (attempt == 0) {
                Claims.log.warn("{}: this server's lost session {} still holds the claim; ending it", where, previousSession);
                Claims.queryBoolean(c, "SELECT pg_terminate_backend(" + previousSession + ")");
            }
            Claims.pause();
        }
    }



    @Override
    public void configure(Connection c) throws SQLException {
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        try (Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = on");
        }
    }

    /** Through the server's maintenance database ({@code postgres}). */
    @Override
    public boolean createIfMissing(String url, Properties props) throws SQLException {
        String name = RemoteDatabase.databaseName(url);
        try (Connection c = DriverManager.getConnection(RemoteDatabase.withDatabase(url, "postgres"), props);
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return false;
                }
            }
            st.execute("CREATE DATABASE " + name);
            return true;
        }
    }

    static Properties credentials(String user, String password) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }
}
