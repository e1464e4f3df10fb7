package io.tempora.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config file: what it sets, environment substitution, and a one-line error naming the bad key. */
class ConfigFileTest {
    private static final Path BASE = Path.of("/srv/tempora");

    private static ConfigFile.Settings parse(String yaml, Map<String, String> env) {
        return ConfigFile.parse(yaml, env::get, BASE);
    }

    private static String postgres(String extra) {
        return """
                persistence:
                  numHistoryShards: 8
                  defaultStore: main
                  datastores:
                    main:
                      sql:
                        pluginName: postgres12
                        databaseName: temporal
                        connectAddr: db.internal:6432
                        user: tempora
                        password: ${DB_PASSWORD}
                        maxConns: 10
                """ + extra;
    }

    @Test
    void aPostgresConfigGivesTheStoreShardsPortsAndLimits() {
        ConfigFile.Settings s = parse(postgres("""
                        tls: { enabled: true, caFile: /etc/ca.pem }
                services: { frontend: { rpc: { grpcPort: 7300, bindOnIP: 0.0.0.0 } } }
                log: { level: WARN }
                namespaces: [orders, default]
                dynamicConfig: { limit.maxIDLength: 500 }
                """), Map.of("DB_PASSWORD", "s3cret"));
        ServerConfig c = s.server();
        assertThat(c.sqlStore().jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/temporal?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem");
        assertThat(c.sqlStore().user()).isEqualTo("tempora");
        assertThat(c.sqlStore().password()).isEqualTo("s3cret");
        assertThat(c.sqlStore().maxConnections()).isEqualTo(10);
        assertThat(c.sqlStore().toString()).doesNotContain("s3cret");
        assertThat(c.numShards()).isEqualTo(8);
        assertThat(c.port()).isEqualTo(7300);
        assertThat(c.ip()).isEqualTo("0.0.0.0");
        assertThat(c.namespaces()).containsExactly("default", "orders");
        assertThat(c.limits().maxIdLength()).isEqualTo(500);
        assertThat(s.logLevel()).isEqualTo("warn");
    }

    @Test
    void aMysqlConfigGivesAMariadbDriverUrlWithItsTlsOptions() {
        ConfigFile.Settings s = parse("""
                persistence:
                  defaultStore: main
                  datastores:
                    main:
                      sql:
                        pluginName: mysql8
                        databaseName: temporal
                        user: tempora
                        tls: { enabled: true, caFile: /etc/ca.pem, enableHostVerification: false }
                """, Map.of());
        assertThat(s.server().sqlStore().jdbcUrl())
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/temporal?sslMode=verify-ca&serverSslCert=%2Fetc%2Fca.pem");
        assertThatThrownBy(() -> parse("""
                persistence:
                  defaultStore: main
                  datastores:
                    main:
                      sql: { pluginName: mysql8, databaseName: t, tls: { enabled: true, certFile: /c.pem, keyFile: /k.pem } }
                """, Map.of())).isInstanceOf(ConfigFile.Invalid.class)
                .hasMessageStartingWith("persistence.datastores.main.sql.tls.certFile:");
    }

    @Test
    void tlsVerifiesTheHostWhenAskedEvenWithoutACaFileAndRefusesWhatItCannotHonour() {
        String base = """
                persistence:
                  defaultStore: main
                  datastores:
                    main:
                      sql: { pluginName: %s, databaseName: t, tls: { enabled: true, %s } }
                """;
        assertThat(parse(base.formatted("mysql8", "enableHostVerification: true"), Map.of()).server().sqlStore().jdbcUrl())
                .isEqualTo("jdbc:mariadb://127.0.0.1:3306/t?sslMode=verify-full");
        assertThat(parse(base.formatted("postgres12", "enableHostVerification: true"), Map.of()).server().sqlStore().jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/t?sslmode=verify-full");
        assertThat(parse(base.formatted("postgres12", "caFile: /ca.pem, enableHostVerification: false"), Map.of()).server().sqlStore().jdbcUrl())
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/t?sslmode=verify-ca&sslrootcert=%2Fca.pem");
        assertThatThrownBy(() -> parse(base.formatted("postgres12", "serverName: db.internal"), Map.of()))
                .hasMessage("persistence.datastores.main.sql.tls.serverName is not supported: connect by the name the certificate holds");
        assertThatThrownBy(() -> parse(base.formatted("postgres12", "keyFile: /k.pem"), Map.of()))
                .hasMessage("persistence.datastores.main.sql.tls.certFile and persistence.datastores.main.sql.tls.keyFile go together");
    }

    @Test
    void sqliteNamesAFileRelativeToTheConfig() {
        ConfigFile.Settings s = parse("""
                persistence:
                  defaultStore: default
                  datastores: { default: { sql: { pluginName: sqlite, databaseName: data/tempora.db } } }
                """, Map.of());
        assertThat(s.server().sqlStore()).isNull();
        assertThat(s.server().dbFile()).isEqualTo(BASE.resolve("data/tempora.db"));
        assertThat(s.server().port()).isEqualTo(7233);
        assertThat(s.server().numShards()).isEqualTo(4);
    }

    @Test
    void variablesTakeTheirDefaultsAndAnUnsetOneIsNamed() {
        assertThat(ConfigFile.substitute("a: ${X:-fallback} b: ${Y}", Map.of("Y", "set")::get)).isEqualTo("a: fallback b: set");
        assertThatThrownBy(() -> parse(postgres(""), Map.of()))
                .hasMessage("environment variable DB_PASSWORD is not set (the config uses ${DB_PASSWORD})");
    }

    @Test
    void badKeysAndValuesAreNamed() {
        Map<String, String> env = Map.of("DB_PASSWORD", "x");
        assertThatThrownBy(() -> parse(postgres("        hots: db\n"), env))
                .isInstanceOf(ConfigFile.Invalid.class).hasMessage("unknown config key persistence.datastores.main.sql.hots");
        assertThatThrownBy(() -> parse(postgres("services: { frontend: { rpc: { grpcPort: seven } } }\n"), env))
                .hasMessage("services.frontend.rpc.grpcPort must be an integer, got 'seven'");
        assertThatThrownBy(() -> parse(postgres("log: { level: loud }\n"), env))
                .hasMessage("log.level must be debug, info, warn or error, got 'loud'");
        assertThatThrownBy(() -> parse(postgres("dynamicConfig: { no.such.key: 1 }\n"), env))
                .hasMessageStartingWith("dynamicConfig: unknown dynamic config key no.such.key");
        assertThatThrownBy(() -> parse("persistence: { defaultStore: a, datastores: { b: {} } }", env))
                .hasMessage("persistence.datastores.a is required");
        assertThatThrownBy(() -> parse("persistence:\n  defaultStore: d\n  datastores: { d: { sql: { pluginName: oracle, databaseName: x } } }", env))
                .hasMessage("persistence.datastores.d.sql.pluginName 'oracle' is not supported (sqlite, postgres12, mysql8)");
        assertThatThrownBy(() -> parse("persistence: [1, 2]", env)).hasMessage("persistence must be a mapping");
        assertThatThrownBy(() -> parse("a: b: c", env)).hasMessageStartingWith("config is not valid YAML");
    }

    @Test
    void theSampleConfigsInTheRepositoryLoad() throws Exception {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("config");
        for (String name : new String[] {"sqlite.yaml", "postgresql.yaml"}) {
            ConfigFile.Settings s = ConfigFile.parse(Files.readString(dir.resolve(name)), k -> null, dir);
            assertThat(s.server().port()).as(name).isEqualTo(7233);
        }
    }

    /** The samples in the repository's config/ folder are valid as they are (their variables at their defaults). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"sqlite.yaml", "postgresql.yaml", "mysql.yaml"})
    void theSampleConfigsParse(String name) throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of("..", "config", name);
        ConfigFile.Settings s = ConfigFile.parse(java.nio.file.Files.readString(file), Map.<String, String>of()::get, BASE);
        assertThat(s.server().port()).isEqualTo(7233);
        if (!name.equals("sqlite.yaml")) {
            assertThat(s.server().sqlStore().jdbcUrl()).startsWith(name.equals("mysql.yaml") ? "jdbc:mariadb://127.0.0.1:3306/tempora"
                    : "jdbc:postgresql://127.0.0.1:5432/tempora");
        }
    }
}
