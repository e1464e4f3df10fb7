package io.tempora.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Counts what the {@link RawWorker} reports, per group of workflows. A group is every workflow whose id is
 * {@code <prefix>-<index>}; a scenario registers a group per batch it starts (e.g. the long timers, the short
 * ones), and reads how many of them are armed, closed, or had their timer fire, and how late.
 */
final class RawGroups implements RawWorker.Listener {

  /** The counters of one group; updated by the worker's pollers, read by the scenario. */
  static final class Group {
    private final AtomicInteger firstTasks = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final LongAccumulator lastCloseNanos = new LongAccumulator(Long::max, Long.MIN_VALUE);
    private final TimerLateness lateness = new TimerLateness();

    /** Runs whose first workflow task was completed: timer armed, activity scheduled, or waiting for a signal. */
    int firstTasks() {
      return firstTasks.get();
    }

    /** Runs whose closing task was completed, failed ones included. */
    int closed() {
      return closed.get();
    }

    int failed() {
      return failed.get();
    }

    /** {@link System#nanoTime()} of the latest close, {@link Long#MIN_VALUE} before the first. */
    long lastCloseNanos() {
      return lastCloseNanos.get();
    }

    TimerLateness lateness() {
      return lateness;
    }
  }

  private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();

  /** The group of the workflows with ids {@code prefix-<index>}; register it before starting them. */
  Group group(String prefix) {
    return groups.computeIfAbsent(prefix, p -> new Group());
  }

  private Group of(String workflowId) {
    int dash = workflowId.lastIndexOf('-');
    return dash < 0 ? null : groups.get(workflowId.substring(0, dash));
  }

  @Override
  public void firstTaskDone(String workflowId, String workflowType) {
    Group g = of(workflowId);
    if (g != null) {
      g.firstTasks.incrementAndGet();
    }
  }

  @Override
  public void closed(String workflowId, String workflowType, boolean failed) {
    Group g = of(workflowId);
    if (g != null) {
      if (failed) {
        g.failed.incrementAndGet();
      }
      g.closed.incrementAndGet();
      g.lastCloseNanos.accumulate(System.nanoTime());
    }
  }

  @Override
  public void timerFired(String workflowId, long dueMillis, long firedEventMillis, long seenMillis) {
    Group g = of(workflowId);
    if (g != null) {
      g.lateness.record(workflowId, dueMillis, firedEventMillis, seenMillis);
    }
  }
}
