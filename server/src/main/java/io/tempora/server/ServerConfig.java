package io.tempora.server;

import java.nio.file.Path;
import java.util.List;

/**
 * What one Tempora server process needs to start: where to listen, where its data lives and how many
 * history shards it runs. {@code dbFile == null} means an in-memory SQLite database (nothing survives).
 */
public record ServerConfig(String ip, int port, Path dbFile, int numShards, List<String> namespaces) {

    public static final String DEFAULT_NAMESPACE = "default";

    public ServerConfig {
        namespaces = List.copyOf(namespaces);
    }

    /** start-dev defaults: 127.0.0.1:7233, 4 shards, namespace "default". */
    public static ServerConfig devDefaults(Path dbFile) {
        return new ServerConfig("127.0.0.1", 7233, dbFile, 4, List.of(DEFAULT_NAMESPACE));
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(ip, newPort, dbFile, numShards, namespaces);
    }
}
