package io.tempora.server;

import io.tempora.common.Limits;
import io.temporal.api.enums.v1.IndexedValueType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one Tempora server process needs to start: where to listen, where its data lives, how many history
 * shards it runs, its limits, and the custom search attributes every namespace it creates gets (start-dev's
 * --search-attribute). {@code sqlStore}, when set, is the PostgreSQL database that holds the data instead of the
 * SQLite file; otherwise {@code dbFile == null} means an in-memory database (nothing survives).
 */
public record ServerConfig(String ip, int port, Path dbFile, int numShards, List<String> namespaces, Limits limits,
                           Map<String, IndexedValueType> searchAttributes, SqlStore sqlStore) {

    /**
     * A SQL server database instead of the SQLite file: its JDBC URL (no secrets in it), user, password, the most
     * connections the server opens to it, and whether the server applies missing migrations itself (otherwise it
     * refuses a schema older than its own: {@code tempora db migrate} first, as Temporal's schema tool).
     */
    public record SqlStore(String jdbcUrl, String user, String password, int maxConnections, boolean migrateOnStart) {
        public SqlStore(String jdbcUrl, String user, String password, int maxConnections) {
            this(jdbcUrl, user, password, maxConnections, true);
        }

        @Override
        public String toString() {
            return "SqlStore[" + jdbcUrl + ", user " + user + "]"; // never the password
        }
    }

    public static final String DEFAULT_NAMESPACE = "default";

    public ServerConfig {
        namespaces = List.copyOf(namespaces);
        searchAttributes = Map.copyOf(searchAttributes);
    }

    public ServerConfig(String ip, int port, Path dbFile, int numShards, List<String> namespaces, Limits limits,
                        Map<String, IndexedValueType> searchAttributes) {
        this(ip, port, dbFile, numShards, namespaces, limits, searchAttributes, null);
    }

    public ServerConfig(String ip, int port, Path dbFile, int numShards, List<String> namespaces, Limits limits) {
        this(ip, port, dbFile, numShards, namespaces, limits, Map.of());
    }

    public ServerConfig(String ip, int port, Path dbFile, int numShards, List<String> namespaces) {
        this(ip, port, dbFile, numShards, namespaces, Limits.defaults());
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(ip, port, dbFile, numShards, namespaces, newLimits, searchAttributes, sqlStore);
    }

    public ServerConfig withSearchAttributes(Map<String, IndexedValueType> attributes) {
        return new ServerConfig(ip, port, dbFile, numShards, namespaces, limits, attributes, sqlStore);
    }

    /** The same server on a PostgreSQL or MySQL database (a JDBC URL with its user and password as parameters), migrated at start. */
    public ServerConfig withDatabaseUrl(String url) {
        return withSqlStore(new SqlStore(url, null, null, 4));
    }

    public ServerConfig withSqlStore(SqlStore store) {
        return new ServerConfig(ip, port, dbFile, numShards, namespaces, limits, searchAttributes, store);
    }
}
