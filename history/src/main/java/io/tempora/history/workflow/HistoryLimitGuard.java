package io.tempora.history.workflow;

import io.tempora.common.Limits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history bounds the official server keeps on a running run (limit.historySize.*, limit.historyCount.*): a
 * transition that takes it past a warn limit is logged; past an error limit the run is terminated instead.
 */
final class HistoryLimitGuard {
    private static final Logger log = LoggerFactory.getLogger(HistoryLimitGuard.class);

    static final String SIZE_EXCEEDED = "Workflow history size exceeds limit.";
    static final String COUNT_EXCEEDED = "Workflow history count exceeds limit.";

    private final Limits.History limits;

    HistoryLimitGuard(Limits.History limits) {
        this.limits = limits;
    }

    /**
     * The termination reason when this transition leaves a running run over an error limit, else null. Size is what
     * is already persisted (as the official server counts it); the count includes this transition's events. A
     * transition that closes or continues the run is not checked.
     */
    String exceeded(MutableState ms) {
        if (!ms.hasChanges() || !ms.isRunning() || ms.continuedRun() != null) {
            return null;
        }
        long size = ms.execution().getHistorySizeBytes();
        long count = ms.nextEventId() - 1;
        if (size > limits.sizeErrorBytes()) {
            return SIZE_EXCEEDED;
        }
        if (count > limits.countError()) {
            return COUNT_EXCEEDED;
        }
        long countBefore = count - ms.newEvents().size();
        if (countBefore <= limits.countWarn() && count > limits.countWarn()) {
            log.warn("history count exceeds warn limit: {} has {} events (limit.historyCount.warn {}, error {})", ms.key(), count,
                    limits.countWarn(), limits.countError());
        }
        long added = ms.newEvents().stream().mapToLong(e -> e.getSerializedSize()).sum();
        if (size <= limits.sizeWarnBytes() && size + added > limits.sizeWarnBytes()) {
            log.warn("history size exceeds warn limit: {} has {} bytes (limit.historySize.warn {}, error {})", ms.key(), size + added,
                    limits.sizeWarnBytes(), limits.sizeErrorBytes());
        }
        return null;
    }

    /** Whether the run should continue as new (WorkflowTaskStarted.suggest_continue_as_new). */
    boolean suggestContinueAsNew(MutableState ms) {
        return ms.execution().getHistorySizeBytes() >= limits.sizeSuggestBytes() || ms.nextEventId() >= limits.countSuggest();
    }
}
