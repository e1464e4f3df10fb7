package io.tempora.server;

import io.tempora.common.Limits;
import java.nio.file.Path;
import java.util.List;

/**
 * What one Tempora server process needs to start: where to listen, where its data lives, how many history
 * shards it runs and its limits. {@code dbFile == null} means an in-memory database (nothing survives).
 */
public record ServerConfig(String ip, int port, Path dbFile, int numShards, List<String> namespaces, Limits limits) {

    public static final String DEFAULT_NAMESPACE = "default";

    public ServerConfig {
        namespaces = List.copyOf(namespaces);
    }

    public ServerConfig(String ip, int port, Path dbFile, int numShards, List<String> namespaces) {
        this(ip, port, dbFile, numShards, namespaces, Limits.defaults());
    }

    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(ip, port, dbFile, numShards, namespaces, newLimits);
    }
}
