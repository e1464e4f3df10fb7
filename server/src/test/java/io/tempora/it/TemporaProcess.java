package io.tempora.it;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A Tempora server run as a separate JVM ({@code io.tempora.server.Main server start-dev ...}) on a fixed
 * port and SQLite file, so that a test can SIGKILL it and start it again on the same data.
 *
 * <p>stdout and stderr are drained to {@link #logFile()} under {@code target/tempora-it/}. Always
 * {@link #close()} it (it is also killed by a JVM shutdown hook as a last resort).
 */
public final class TemporaProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "io.tempora.server.Main";
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Path dir;
    private final Path dbFile;
    private final Path logFile;
    private final int port;
    private final Thread shutdownHook;

    private final List<String> extraArgs = new ArrayList<>();
    private volatile Process process;
    private Thread drainer;
    private int generation;

    private TemporaProcess(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir;
        this.dbFile = dir.resolve("tempora.db");
        this.logFile = dir.resolve("server.log");
        this.port = port;
        this.shutdownHook = new Thread(this::destroyQuietly, "tempora-process-killer-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A server (not yet started) with its own directory under target/tempora-it and a free port. */
    public static TemporaProcess create(String name) {
        try {
            Path dir = Files.createDirectories(
                    TemporaFixture.itTargetDir().resolve("process-" + name + "-" + TemporaFixture.shortId()));
            return new TemporaProcess(name, dir, freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** On PostgreSQL or MySQL (TEMPORA_TEST_BACKEND): the database of this server, made at its first start, dropped at close. */
    private io.tempora.persistence.sql.TestDatabases.Created database;

    /**
     * The server as a config file says it, on a PostgreSQL or MySQL database of its own; start-dev's extra flags
     * (--dynamic-config-value, --search-attribute) become the file's dynamicConfig and searchAttributes.
     */
    private Path serverConfig() throws IOException {
        if (database == null) {
            database = io.tempora.persistence.sql.TestDatabases.create(io.tempora.persistence.sql.TestDatabases.Server.of(TemporaFixture.BACKEND));
        }
        StringBuilder dynamic = new StringBuilder();
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < extraArgs.size(); i += 2) {
            String flag = extraArgs.get(i);
            String[] kv = extraArgs.get(i + 1).split("=", 2);
            switch (flag) {
                case "--dynamic-config-value" -> dynamic.append("  ").append(kv[0]).append(": \"").append(kv[1]).append("\"\n");
                case "--search-attribute" -> attributes.append("  ").append(kv[0]).append(": ").append(kv[1]).append("\n");
                default -> throw new IllegalStateException("no config file form for " + flag);
            }
        }
        String yaml = "log: { level: warn }\n"
                + "persistence:\n  numHistoryShards: 4\n  defaultStore: default\n  migrateOnStart: true\n  datastores:\n    default:\n      sql:\n"
                + "        pluginName: " + database.server().pluginName + "\n        databaseName: " + database.name() + "\n"
                + "        connectAddr: " + database.hostAndPort() + "\n"
                + "        connectAttributes: { " + database.urlParameters() + " }\n"
                + "services: { frontend: { rpc: { grpcPort: " + port + ", bindOnIP: 127.0.0.1 } } }\n"
                + (dynamic.isEmpty() ? "" : "dynamicConfig:\n" + dynamic)
                + (attributes.isEmpty() ? "" : "searchAttributes:\n" + attributes);
        Path file = dir.resolve("tempora.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** More start-dev flags for every start of this server (e.g. --search-attribute). */
    public TemporaProcess withArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** The outcome of a command line that ends by itself (a bad flag, --help). */
    public record CliResult(int exitCode, String output) {}

    /** Runs {@code tempora <args>} as a process and waits (up to 60 s) for it to exit. */
    public static CliResult runCli(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), MAIN_CLASS));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("tempora " + String.join(" ", args) + " did not exit");
        }
        return new CliResult(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    public int port() {
        return port;
    }

    public String target() {
        return "127.0.0.1:" + port;
    }

    /** A JDBC URL of this server's database (after its first start), for tests that read its tables. */
    public String jdbcUrl() {
        return database != null ? database.url() : "jdbc:sqlite:" + dbFile;
    }

    /** The command line of a second server on this one's data (after its first start), listening on {@code port}. */
    public String[] secondServerArgs(int port) throws IOException {
        if (database == null) {
            return new String[] {"server", "start-dev", "--port", Integer.toString(port), "--db-filename", dbFile.toString()};
        }
        Path second = dir.resolve("tempora-second-" + port + ".yaml");
        Files.writeString(second, Files.readString(dir.resolve("tempora.yaml")).replace("grpcPort: " + this.port + ",", "grpcPort: " + port + ","));
        return new String[] {"server", "start", "--config", second.toString()};
    }

    /** A config for an in-JVM server on this one's data (after it was killed), e.g. to verify rebuilds. */
    public io.tempora.server.ServerConfig inJvmConfig(List<String> namespaces) {
        var config = new io.tempora.server.ServerConfig("127.0.0.1", 0, dbFile, 4, namespaces);
        return database != null ? config.withDatabaseUrl(database.url()) : config;
    }

    public Path dbFile() {
        return dbFile;
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts the server and waits (up to 60 s) for its ready line. */
    public synchronized void start() throws IOException, InterruptedException {
        if (isAlive()) {
            throw new IllegalStateException("server " + name + " is already running");
        }
        generation++;
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx1g");
        cmd.add("--enable-native-access=ALL-UNNAMED"); // sqlite-jdbc loads a native library
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MAIN_CLASS);
        if (!TemporaFixture.BACKEND.equals("sqlite")) {
            cmd.addAll(List.of("server", "start", "--config", serverConfig().toString()));
        } else {
            cmd.addAll(List.of("server", "start-dev",
                    "--ip", "127.0.0.1",
                    "--port", Integer.toString(port),
                    "--db-filename", dbFile.toString(),
                    "--headless",
                    "--log-level", "warn"));
            cmd.addAll(extraArgs);
        }

        appendToLog("==== start #" + generation + " at " + Instant.now() + ": " + String.join(" ", cmd.subList(cmd.indexOf(MAIN_CLASS), cmd.size())));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        process = p;
        String readyMarker = "Tempora server is ready on 127.0.0.1:" + port;
        CountDownLatch ready = new CountDownLatch(1);
        drainer = new Thread(() -> drain(p, readyMarker, ready), "tempora-process-drain-" + name + "-" + generation);
        drainer.setDaemon(true);
        drainer.start();

        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ready.await(100, TimeUnit.MILLISECONDS)) {
            if (!p.isAlive()) {
                drainer.join(2_000);
                throw new IllegalStateException("server " + name + " exited with code " + p.exitValue()
                        + " before it was ready; log tail:\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                destroyQuietly();
                throw new IllegalStateException("server " + name + " not ready within " + READY_TIMEOUT
                        + "; log tail:\n" + logTail());
            }
        }
    }

    /** SIGKILL (destroyForcibly on Linux) and wait until the process is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        appendToLog("==== SIGKILL at " + Instant.now());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server " + name + " did not die after SIGKILL");
        }
        if (drainer != null) {
            drainer.join(5_000);
        }
    }

    /** SIGKILL (if running), then start again on the same port and database file. */
    public synchronized void restart() throws IOException, InterruptedException {
        kill();
        start();
    }

    @Override
    public synchronized void close() {
        destroyQuietly();
        if (database != null) {
            database.drop();
            database = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down
        }
    }

    private void destroyQuietly() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain(Process p, String readyMarker, CountDownLatch ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                if (line.contains(readyMarker)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the process died (SIGKILL) or the log could not be written; nothing more to drain
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for humans only
        }
    }

    /** The last 60 lines of the server's log, for failure messages. */
    public String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "TemporaProcess[" + name + " " + target() + " db=" + dbFile + "]";
    }
}
