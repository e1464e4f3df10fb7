package io.tempora.history.workflow;

import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TimerTaskType;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Adds to the transition that closes a run the durable timer that deletes it once its namespace's retention is over
 * (the official DeleteHistoryEventTask): close time + retention + a random part of the jitter.
 */
public final class RetentionTimer {
    private final Function<String, Optional<NamespaceRecord>> namespaces;
    private final long jitterMs;

    public RetentionTimer(Function<String, Optional<NamespaceRecord>> namespaces, long jitterMs) {
        this.namespaces = namespaces;
        this.jitterMs = jitterMs;
    }

    public void addIfClosing(MutableState ms) {
        if (!ms.closesRun()) {
            return;
        }
        long retention = namespaces.apply(ms.key().namespaceId()).map(NamespaceRecord::getRetentionMs).orElse(0L);
        if (retention <= 0) {
            return;
        }
        long closeTime = ms.execution().getCloseTimeMs();
        long jitter = jitterMs > 0 ? ThreadLocalRandom.current().nextLong(jitterMs) : 0;
        ms.addTimerTask(TimerTask.newBuilder().setType(TimerTaskType.TIMER_TASK_TYPE_DELETE_HISTORY)
                .setFireTimeMs(closeTime + retention + jitter));
    }
}
