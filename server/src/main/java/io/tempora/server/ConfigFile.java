package io.tempora.server;

import io.tempora.common.Limits;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code tempora server start --config FILE}: a YAML file in the spirit of Temporal's server config. {@code ${NAME}}
 * and {@code ${NAME:-default}} are replaced by environment variables first (for secrets). Every key is checked: an
 * unknown one, a wrong type or a missing required one is a {@link Invalid} whose message names the key.
 *
 * <pre>
 * log: { level: info }
 * persistence:
 *   numHistoryShards: 4
 *   defaultStore: default
 *   visibilityStore: default          # the same datastore (a separate one is not supported yet)
 *   migrateOnStart: false             # true: the server applies missing migrations (else: tempora db setup/migrate)
 *   datastores:
 *     default:
 *       sql:
 *         pluginName: postgres12      # sqlite, postgres12 (or postgres12_pgx, postgresql), mysql8 (MySQL 8, MariaDB)
 *         databaseName: tempora       # sqlite: the database file
 *         connectAddr: 127.0.0.1:5432 # default 127.0.0.1:5432 (postgres12) or 127.0.0.1:3306 (mysql8)
 *         user: postgres
 *         password: ${TEMPORA_DB_PASSWORD:-}
 *         maxConns: 20
 *         tls: { enabled: false, caFile: ..., certFile: ..., keyFile: ..., enableHostVerification: true }
 * services:
 *   frontend: { rpc: { grpcPort: 7233, bindOnIP: 127.0.0.1 } }
 * namespaces: [default]
 * searchAttributes: { CustomerId: Keyword }   # custom attributes every namespace above gets (start-dev's --search-attribute)
 * dynamicConfig: { limit.maxIDLength: 1000 }
 * </pre>
 */
public final class ConfigFile {
    /** A config the server cannot start with; the message names the key. */
    public static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    /** What the file says: the server's config and the log level. */
    public record Settings(ServerConfig server, String logLevel) {}

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Set<String> POSTGRES_PLUGINS = Set.of("postgres12", "postgres12_pgx", "postgresql");
    private static final Set<String> MYSQL_PLUGINS = Set.of("mysql8", "mysql", "mariadb");
    private static final String PLUGINS = "sqlite, postgres12, mysql8";

    private ConfigFile() {}

    public static Settings load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new Invalid("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, System::getenv, file.toAbsolutePath().getParent());
    }

    /** {@code env} looks variables up; relative SQLite paths are resolved against {@code baseDir}. */
    static Settings parse(String text, Function<String, String> env, Path baseDir) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(substitute(text, env));
        } catch (YAMLException e) {
            throw new Invalid("config is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Node top = new Node("", root == null ? Map.of() : root);
        top.only("log", "persistence", "services", "namespaces", "searchAttributes", "dynamicConfig");

        String logLevel = top.child("log").only("level").string("level", "info").toLowerCase();
        if (!List.of("debug", "info", "warn", "error").contains(logLevel)) {
            throw new Invalid("log.level must be debug, info, warn or error, got '" + logLevel + "'");
        }

        Node persistence = top.required("persistence").only("numHistoryShards", "defaultStore", "visibilityStore", "datastores",
                "migrateOnStart");
        int shards = persistence.integer("numHistoryShards", 4);
        if (shards < 1) {
            throw new Invalid("persistence.numHistoryShards must be at least 1");
        }
        String defaultStore = persistence.string("defaultStore", null);
        if (defaultStore == null) {
            throw new Invalid("persistence.defaultStore is required");
        }
        String visibilityStore = persistence.string("visibilityStore", defaultStore);
        if (!visibilityStore.equals(defaultStore)) {
            throw new Invalid("persistence.visibilityStore must be the default store (" + defaultStore + "): a separate visibility database is not supported yet");
        }
        Node store = persistence.required("datastores").required(defaultStore).only("sql").required("sql")
                .only("pluginName", "databaseName", "connectAddr", "connectProtocol", "user", "password", "maxConns", "tls", "connectAttributes");

        Node rpc = top.child("services").only("frontend").child("frontend").only("rpc").child("rpc").only("grpcPort", "bindOnIP");
        int port = rpc.integer("grpcPort", 7233);
        String ip = rpc.string("bindOnIP", "127.0.0.1");

        List<String> namespaces = new ArrayList<>(List.of(ServerConfig.DEFAULT_NAMESPACE));
        for (Object n : top.list("namespaces")) {
            if (!(n instanceof String name) || name.isBlank()) {
                throw new Invalid("namespaces must be a list of names");
            }
            if (!namespaces.contains(name)) {
                namespaces.add(name);
            }
        }
        Map<String, String> dynamic = new LinkedHashMap<>();
        top.child("dynamicConfig").entries().forEach((k, v) -> dynamic.put(k, String.valueOf(v)));
        Limits limits;
        try {
            limits = Limits.defaults().withOverrides(dynamic);
        } catch (IllegalArgumentException e) {
            throw new Invalid("dynamicConfig: " + e.getMessage());
        }

        Map<String, io.temporal.api.enums.v1.IndexedValueType> attributes = new LinkedHashMap<>();
        top.child("searchAttributes").entries().forEach((name, type) -> attributes.put(name,
                io.tempora.common.searchattribute.SearchAttributeDefinitions.parseTypeName(String.valueOf(type))
                        .orElseThrow(() -> new Invalid("searchAttributes." + name + ": invalid search attribute value type \"" + type + "\""))));

        String plugin = store.string("pluginName", null);
        String database = store.string("databaseName", null);
        if (plugin == null || database == null) {
            throw new Invalid(store.path + ".pluginName and " + store.path + ".databaseName are required");
        }
        ServerConfig config;
        if (plugin.equals("sqlite")) {
            config = new ServerConfig(ip, port, baseDir.resolve(database), shards, namespaces, limits, attributes);
        } else if (POSTGRES_PLUGINS.contains(plugin) || MYSQL_PLUGINS.contains(plugin)) {
            config = new ServerConfig(ip, port, null, shards, namespaces, limits, attributes)
                    .withSqlStore(server(store, database, POSTGRES_PLUGINS.contains(plugin), persistence.bool("migrateOnStart", false)));
        } else {
            throw new Invalid(store.path + ".pluginName '" + plugin + "' is not supported (" + PLUGINS + ")");
        }
        return new Settings(config, logLevel);
    }

    /** A PostgreSQL ({@code postgres}) or MySQL / MariaDB store: the JDBC URL with the TLS options of its driver. */
    private static ServerConfig.SqlStore server(Node sql, String database, boolean postgres, boolean migrateOnStart) {
        String address = sql.string("connectAddr", postgres ? "127.0.0.1:5432" : "127.0.0.1:3306");
        if (!address.matches("[^/?#]+:\\d+")) {
            throw new Invalid(sql.path + ".connectAddr must be host:port, got '" + address + "'");
        }
        String protocol = sql.string("connectProtocol", "tcp");
        if (!protocol.equals("tcp")) {
            throw new Invalid(sql.path + ".connectProtocol must be tcp");
        }
        int maxConns = sql.integer("maxConns", 20);
        if (maxConns < 2) {
            throw new Invalid(sql.path + ".maxConns must be at least 2");
        }
        Map<String, String> params = new LinkedHashMap<>();
        Node tls = sql.child("tls").only("enabled", "caFile", "certFile", "keyFile", "enableHostVerification", "serverName");
        if (tls.bool("enabled", false)) {
            tlsParameters(tls, postgres, params);
        }
        sql.child("connectAttributes").entries().forEach((k, v) -> params.put(k, String.valueOf(v)));
        StringBuilder url = new StringBuilder(postgres ? "jdbc:postgresql://" : "jdbc:mariadb://").append(address).append('/').append(database);
        String sep = "?";
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = "&";
        }
        return new ServerConfig.SqlStore(url.toString(), sql.string("user", null), sql.string("password", null), maxConns, migrateOnStart);
    }

    /**
     * The driver's TLS parameters. Verification as Temporal's: on with a CA file unless enableHostVerification says
     * no; enableHostVerification alone verifies against the default roots (PostgreSQL: ~/.postgresql/root.crt).
     */
    private static void tlsParameters(Node tls, boolean postgres, Map<String, String> params) {
        String ca = tls.string("caFile", null);
        boolean verifyHost = tls.bool("enableHostVerification", ca != null);
        String cert = tls.string("certFile", null);
        String key = tls.string("keyFile", null);
        if (tls.string("serverName", null) != null) {
            throw new Invalid(tls.path + ".serverName is not supported: connect by the name the certificate holds");
        }
        if ((cert == null) != (key == null)) {
            throw new Invalid(tls.path + ".certFile and " + tls.path + ".keyFile go together");
        }
        String mode = verifyHost ? "verify-full" : ca != null ? "verify-ca" : postgres ? "require" : "trust";
        if (postgres) {
            params.put("sslmode", mode);
            if (ca != null) {
                params.put("sslrootcert", ca);
            }
            if (cert != null) {
                params.put("sslcert", cert);
                params.put("sslkey", key);
            }
        } else {
            params.put("sslMode", mode);
            if (ca != null) {
                params.put("serverSslCert", ca);
            }
            if (cert != null) {
                throw new Invalid(tls.path + ".certFile: client certificates on mysql8 go in connectAttributes (keyStore, keyStorePassword)");
            }
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:-default}}; an unset variable without a default is an error. */
    static String substitute(String text, Function<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                if (m.group(2) == null) {
                    throw new Invalid("environment variable " + m.group(1) + " is not set (the config uses ${" + m.group(1) + "})");
                }
                value = m.group(3);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A place in the YAML tree, with checked access to its keys. */
    private record Node(String path, Object value) {
        private String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> entries() {
            if (value == null) {
                return Map.of();
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw new Invalid((path.isEmpty() ? "the config" : path) + " must be a mapping");
            }
            for (Object k : map.keySet()) {
                if (!(k instanceof String)) {
                    throw new Invalid(at(String.valueOf(k)) + ": keys must be strings");
                }
            }
            return (Map<String, Object>) map;
        }

        /** Fails on a key that is not one of {@code allowed}. */
        Node only(String... allowed) {
            Set<String> known = Set.of(allowed);
            for (String key : entries().keySet()) {
                if (!known.contains(key)) {
                    throw new Invalid("unknown config key " + at(key));
                }
            }
            return this;
        }

        Node child(String key) {
            return new Node(at(key), entries().get(key));
        }

        Node required(String key) {
            if (!entries().containsKey(key)) {
                throw new Invalid(at(key) + " is required");
            }
            return child(key);
        }

        String string(String key, String fallback) {
            Object v = entries().get(key);
            if (v == null) {
                return fallback;
            }
            if (v instanceof Map || v instanceof List) {
                throw new Invalid(at(key) + " must be a string");
            }
            return String.valueOf(v);
        }

        int integer(String key, int fallback) {
            Object v = entries().get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Integer i)) {
                throw new Invalid(at(key) + " must be an integer, got '" + v + "'");
            }
            return i;
        }

        boolean bool(String key, boolean fallback) {
            Object v = entries().get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw new Invalid(at(key) + " must be true or false, got '" + v + "'");
            }
            return b;
        }

        List<?> list(String key) {
            Object v = entries().get(key);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> l)) {
                throw new Invalid(at(key) + " must be a list");
            }
            return l;
        }
    }
}
