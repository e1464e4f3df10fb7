package io.tempora.matching;

import io.tempora.common.proto.MatchingTask;
import io.tempora.persistence.TaskStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeSet;

/**
 * A partition's persisted backlog, of which memory holds one page: the rest waits in the table and is read, in task
 * id order, when the page runs out (like the official task reader with {@code matching.getTasksBatchSize}).
 *
 * <p>Writes commit outside the partition's lock and so in any order. Two marks keep reads and writes apart:
 * {@code readLevel} (every committed task at or below it is in the page or delivered) and {@code lastUnread} (the
 * highest task id that went only to the table). A read never passes a task id still being written, since that row
 * could commit behind it; a write that commits below {@code readLevel} anyway goes to the page, which is the margin
 * beyond one page (at most the writes in flight, and tasks given back by pollers).
 *
 * <p>Not thread-safe: the partition calls it under its lock (reads of the table included).
 */
final class Backlog {
    private final TaskStore store;
    private final TaskStore.QueueKey key;
    private final int pageSize;
    private final Deque<TaskQueuePartition.Delivery> page = new ArrayDeque<>();
    /** Task ids handed out whose rows may not be committed yet. */
    private final TreeSet<Long> writing = new TreeSet<>();
    private long nextTaskId;
    private long readLevel;
    private long lastUnread;

    /** {@code maxStoredTaskId}: the highest task id in the table now (0 for none); all of it is still unread. */
    Backlog(TaskStore store, TaskStore.QueueKey key, int pageSize, long firstTaskId, long maxStoredTaskId) {
        this.store = store;
        this.key = key;
        this.pageSize = pageSize;
        this.nextTaskId = firstTaskId;
        this.lastUnread = maxStoredTaskId;
    }

    /** The id for a task about to be written. */
    long allocate() {
        long id = nextTaskId++;
        writing.add(id);
        return id;
    }

    /** The task's row is committed: it goes to the page if there is room and nothing older waits in the table. */
    void written(long taskId, MatchingTask task) {
        writing.remove(taskId);
        if (taskId <= readLevel) {
            page.addLast(new TaskQueuePartition.Delivery(taskId, task, null)); // a read passed it while it was written
        } else if (readLevel >= lastUnread && page.size() < pageSize) {
            page.addLast(new TaskQueuePartition.Delivery(taskId, task, null));
            readLevel = taskId;
        } else {
            lastUnread = Math.max(lastUnread, taskId);
        }
    }

    /** The task's row was not written. */
    void notWritten(long taskId) {
        writing.remove(taskId);
    }

    /** The next task, reading the next page from the table when the page is empty; null when there is none. */
    TaskQueuePartition.Delivery poll() {
        if (page.isEmpty() && readLevel < lastUnread) {
            readPage();
        }
        return page.pollFirst();
    }

    /** A task a poller could not deliver comes first again. */
    void giveBack(TaskQueuePartition.Delivery d) {
        page.addFirst(d);
    }

    int inMemory() {
        return page.size();
    }

    /** No task waits: none in the page, none unread in the table, none being written. */
    boolean isEmpty() {
        return page.isEmpty() && readLevel >= lastUnread && writing.isEmpty();
    }

    private void readPage() {
        long before = writing.isEmpty() ? Long.MAX_VALUE : writing.first();
        var rows = store.readPage(key, readLevel, before, pageSize);
        for (TaskStore.StoredTask row : rows) {
            page.addLast(new TaskQueuePartition.Delivery(row.taskId(), row.task(), null));
            readLevel = row.taskId();
        }
        if (rows.size() < pageSize && before > lastUnread) {
            readLevel = Math.max(readLevel, lastUnread); // every committed row up to lastUnread has been read
        }
    }
}
