package io.tempora.history.workflow;

import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.history.v1.HistoryEvent;

/** Applies one type of history event to MutableState: the only code that changes event-derived state. */
@FunctionalInterface
interface EventApplier {
    void apply(MutableStateRecord.Builder state, HistoryEvent event);
}
