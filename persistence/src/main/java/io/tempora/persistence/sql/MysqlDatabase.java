package io.tempora.persistence.sql;

import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.SqlDialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening MySQL 8 or MariaDB 10.11 (InnoDB, through the MariaDB driver): read committed as Temporal's MySQL plugin
 * sets it, the writer's session holding a named lock ({@code GET_LOCK}) as its claim on the database. A commit is
 * durable when InnoDB flushes its log at every commit ({@code innodb_flush_log_at_trx_commit = 1}, the default):
 * another setting is reported at start, since it gives acknowledged writes away on a crash of the database.
 */
final class MysqlDatabase implements RemoteDatabase.Backend {
    private static final Logger log = LoggerFactory.getLogger(MysqlDatabase.class);

    @Override
    public String label() {
        return "MySQL";
    }

    @Override
    public SqlDialect dialect() {
        return new MysqlDialect();
    }

    /** Timeouts in milliseconds. */
    @Override
    public Properties connectionProperties(String user, String password) {
        Properties props = PostgresDatabase.credentials(user, password);
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "30000");
        return props;
    }

    /** One lock name per database (GET_LOCK names are server-wide), within the 64 characters MySQL allows. */
    private static final String LOCK_NAME = "CONCAT('tempora:', MD5(DATABASE()))";

    @Override
    public long claim(Connection c, String where, long previousSession) throws SQLException {
        warnUnlessDurable(c, where);
        for (int attempt = 0; ; attempt++) {
            if (Claims.queryLong(c, "SELECT GET_LOCK(" + LOCK_NAME + ", 0)") == 1) {
                return Claims.queryLong(c, "SELECT CONNECTION_ID()");
            }
            if (previousSession <= 0 || attempt == Claims.ATTEMPTS || Claims.queryLong(c, "SELECT IS_USED_LOCK(" + LOCK_NAME + ")") != previousSession) {
                throw new PersistenceException(where + " is in use by another Tempora server");
            }
            if (attempt == 0) {
                Claims.log.warn("{}: this server's lost session {} still holds the claim; ending it", where, previousSession);
                try (Statement st = c.createStatement()) {
                    st.execute("KILL " + previousSession);
                }
            }
            Claims.pause();
        }
    }

    private static void warnUnlessDurable(Connection c, String where) throws SQLException {
        long flush = Claims.queryLong(c, "SELECT @@innodb_flush_log_at_trx_commit");
        if (flush != 1) {
            log.warn("{}: innodb_flush_log_at_trx_commit is {}, not 1: commits are acknowledged before they are on disk,"
                    + " and a crash of the database loses the last of them", where, flush);
        }
    }


    @Override
    public void configure(Connection c) throws SQLException {
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
    }

    @Override
    public boolean createIfMissing(String url, Properties props) throws SQLException {
        String name = RemoteDatabase.databaseName(url);
        try (Connection c = DriverManager.getConnection(RemoteDatabase.withDatabase(url, ""), props); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM information_schema.schemata WHERE schema_name = '" + name + "'")) {
                if (rs.next()) {
                    return false;
                }
            }
            st.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            return true;
        }
    }
}
