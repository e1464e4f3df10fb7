package io.tempora.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.tempora.persistence.PersistenceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tempora} command line. */
@Command(name = "tempora", mixinStandardHelpOptions = true, version = "tempora 0.1.0",
        description = "A durable execution server that speaks Temporal's gRPC API.",
        subcommands = {Main.ServerCommand.class, DlqCommand.class, DbCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new Main());
        // Bad flags get one line and a non-zero exit, not a usage dump or a stack trace.
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("error: " + e.getMessage() + " (see 'tempora --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            System.err.println("error: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Search attribute flags, in the official CLI's KEY=VALUE form with its messages. */
    static java.util.Map<String, io.temporal.api.enums.v1.IndexedValueType> parseSearchAttributes(List<String> flags, CommandLine cli) {
        java.util.Map<String, io.temporal.api.enums.v1.IndexedValueType> parsed = new java.util.LinkedHashMap<>();
        for (String flag : flags) {
            int eq = flag.indexOf('=');
            if (eq < 0) {
                throw new CommandLine.ParameterException(cli, "missing expected '=' in \"" + flag + "\"");
            }
            String value = flag.substring(eq + 1);
            var type = io.tempora.common.searchattribute.SearchAttributeDefinitions.parseTypeName(value)
                    .orElseThrow(() -> new CommandLine.ParameterException(cli, "invalid search attribute value type \"" + value + "\""));
            parsed.put(flag.substring(0, eq), type);
        }
        return parsed;
    }

    @Command(name = "server", description = "Run a Tempora server.", subcommands = {StartDev.class, Start.class}, mixinStandardHelpOptions = true)
    static final class ServerCommand implements Runnable {
        @Override
        public void run() {
            new CommandLine(this).usage(System.out);
        }
    }

    /** Starts the server, prints its ready line and runs until SIGTERM / Ctrl-C; the exit status. */
    static int serve(ServerConfig config, String database) throws InterruptedException {
        TemporaServer server;
        try {
            server = TemporaServer.start(config);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (PersistenceException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            System.err.println("error: cannot listen on " + config.ip() + ":" + config.port() + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "tempora-shutdown"));
        io.tempora.common.Limits limits = config.limits();
        System.out.println("Tempora server is ready on " + server.target() + " (namespaces " + config.namespaces()
                + ", database " + database + ", " + config.numShards() + " shards)");
        System.out.println("Memory bounds: mutable state cache " + mebibytes(limits.mutableStateCacheBytes())
                + " (history.hostLevelCacheMaxSizeBytes), events cache " + mebibytes(limits.eventsCacheBytes())
                + " (history.eventsCacheMaxSizeBytes), heap " + mebibytes(Runtime.getRuntime().maxMemory()));
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static String mebibytes(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a server as its config file says (database, shards, ports, log level, dynamic config).")
    static final class Start implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "YAML config file (see config/*.yaml).")
        Path configFile;

        @Override
        public Integer call() throws InterruptedException {
            ConfigFile.Settings settings;
            try {
                settings = ConfigFile.load(configFile);
            } catch (ConfigFile.Invalid e) {
                System.err.println("error: " + configFile + ": " + e.getMessage());
                return 2;
            }
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(settings.logLevel()));
            ServerConfig config = settings.server();
            String database = config.sqlStore() != null ? config.sqlStore().jdbcUrl().replaceAll("\\?.*", "")
                    : config.dbFile().toAbsolutePath().toString();
            return serve(config, database);
        }
    }

    @Command(name = "start-dev", mixinStandardHelpOptions = true,
            description = "Start a single-node server with every role in one process and an embedded SQLite database.")
    static final class StartDev implements Callable<Integer> {
        @Option(names = "--ip", defaultValue = "127.0.0.1", description = "IP address to bind (default: ${DEFAULT-VALUE}).")
        String ip;

        @Option(names = {"-p", "--port"}, defaultValue = "7233", description = "gRPC port of the frontend (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = {"-f", "--db-filename"}, defaultValue = "tempora.db",
                description = "SQLite database file, created if missing (default: ${DEFAULT-VALUE} in the working directory).")
        Path dbFile;

        @Option(names = "--in-memory", description = "Keep data in memory only: nothing survives a restart.")
        boolean inMemory;

        @Option(names = {"-n", "--namespace"}, description = "Namespace to create besides 'default' (repeatable).")
        List<String> namespaces = new ArrayList<>();

        @Option(names = "--num-shards", defaultValue = "4", description = "Number of history shards (default: ${DEFAULT-VALUE}).")
        int numShards;

        @Option(names = "--headless", description = "Do not start the Web UI (Tempora has no bundled UI yet, so this is always the case).")
        boolean headless;

        @Option(names = "--dynamic-config-value", paramLabel = "KEY=VALUE",
                description = "Override a limit with the official dynamic config key, e.g. limit.numPendingActivities.error=100 (repeatable; "
                        + "see the README for the keys).")
        java.util.Map<String, String> dynamicConfig = new java.util.LinkedHashMap<>();

        @Option(names = "--search-attribute", paramLabel = "KEY=VALUE",
                description = "Search attribute to register in every namespace, e.g. CustomerId=Keyword; types: Text, Keyword, Int, "
                        + "Double, Bool, Datetime, KeywordList (repeatable).")
        List<String> searchAttributes = new ArrayList<>();

        @Option(names = "--log-level", defaultValue = "info", description = "debug, info, warn or error (default: ${DEFAULT-VALUE}).")
        String logLevel;

        private java.util.Map<String, io.temporal.api.enums.v1.IndexedValueType> parseSearchAttributes() {
            return Main.parseSearchAttributes(searchAttributes, new CommandLine(this));
        }

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (!List.of("debug", "info", "warn", "error").contains(logLevel.toLowerCase())) {
                throw new CommandLine.ParameterException(new CommandLine(this), "invalid --log-level '" + logLevel + "'");
            }
            if (numShards < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--num-shards must be at least 1");
            }
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(logLevel));
            List<String> all = new ArrayList<>(List.of(ServerConfig.DEFAULT_NAMESPACE));
            namespaces.stream().filter(n -> !all.contains(n)).forEach(all::add);
            io.tempora.common.Limits limits;
            try {
                limits = io.tempora.common.Limits.defaults().withOverrides(dynamicConfig);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            ServerConfig config = new ServerConfig(ip, port, inMemory ? null : dbFile, numShards, all, limits, parseSearchAttributes());
            return serve(config, inMemory ? "in memory" : dbFile.toAbsolutePath().toString());
        }
    }
}
