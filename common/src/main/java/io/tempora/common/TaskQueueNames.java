package io.tempora.common;

import java.util.Optional;

/** The official server's rules for a task queue name (common/tqid): bounded length, no reserved prefix. */
public final class TaskQueueNames {
    public static final String RESERVED_PREFIX = "/_sys/";

    private TaskQueueNames() {}

    /** Why {@code name} cannot be used, in the official server's words, or empty when it can. */
    public static Optional<String> problem(String name, int maxLength) {
        if (name.isEmpty()) {
            return Optional.of("missing task queue name");
        }
        if (Limits.longerThan(name, maxLength)) {
            return Optional.of("taskQueue length exceeds limit");
        }
        if (name.startsWith(RESERVED_PREFIX)) {
            return Optional.of("task queue name cannot start with reserved prefix " + RESERVED_PREFIX);
        }
        return Optional.empty();
    }
}
