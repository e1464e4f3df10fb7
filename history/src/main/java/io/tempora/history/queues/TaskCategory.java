package io.tempora.history.queues;

import java.util.List;

/**
 * A kind of outbox task of a history shard, with its own queue: immediate tasks run as soon as they are committed,
 * scheduled ones at their fire time. Adding a queue (visibility, schedule timers, retention) is one more category
 * and one executor. The id is stored with every task, so it never changes.
 */
public record TaskCategory(int id, String name, boolean scheduled) {
    /** Work for other services and workflows right after a transition: dispatch tasks, start children, signals. */
    public static final TaskCategory TRANSFER = new TaskCategory(1, "transfer", false);
    /** Timers: user timers, activity and workflow timeouts, retries and backoffs. */
    public static final TaskCategory TIMER = new TaskCategory(2, "timer", true);

    /** The run's visibility record: written after start, close and search attribute or memo upserts; removed on delete. */
    public static final TaskCategory VISIBILITY = new TaskCategory(3, "visibility", false);

    public static final List<TaskCategory> ALL = List.of(TRANSFER, TIMER, VISIBILITY);

    public static TaskCategory byId(int id) {
        return ALL.stream().filter(c -> c.id == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown task category " + id));
    }
}
