package io.tempora.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * How late a batch of timers fired, in milliseconds after they were due (the TimerStarted event's time plus the
 * timer's duration). Two views: when the worker received the task carrying TimerFired, which is what a workflow
 * experiences and the headline figure; and the TimerFired event's own time, which leaves out the dispatch of
 * the workflow task. Both clocks are this machine's: the bench runs next to the server.
 */
final class TimerLateness {

  private final ConcurrentHistogram seenMillis = new ConcurrentHistogram(3);
  private final ConcurrentHistogram eventMillis = new ConcurrentHistogram(3);
  // A timer is counted once even if its task is delivered twice (e.g. redelivered after a failed completion).
  // Only short-timer batches are recorded (the long timers never fire during a run), so the set stays small.
  private final Set<String> workflowIds = ConcurrentHashMap.newKeySet();

  void record(String workflowId, long dueMillis, long firedEventMillis, long seenAtMillis) {
    if (!workflowIds.add(workflowId)) {
      return;
    }
    // Rounding of event times can put a punctual timer a millisecond early; early is not a lateness.
    seenMillis.recordValue(Math.max(0L, seenAtMillis - dueMillis));
    eventMillis.recordValue(Math.max(0L, firedEventMillis - dueMillis));
  }

  int fired() {
    return (int) seenMillis.getTotalCount();
  }

  /** Lateness as seen by the worker at {@code percentile} (100 = max); -1 if no timer fired. */
  long seenAt(double percentile) {
    return at(seenMillis, percentile);
  }

  /** Lateness of the TimerFired event itself at {@code percentile}; -1 if no timer fired. */
  long eventAt(double percentile) {
    return at(eventMillis, percentile);
  }

  private static long at(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return -1L;
    }
    return percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
  }
}
