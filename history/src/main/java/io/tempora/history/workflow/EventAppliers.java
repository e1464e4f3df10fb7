package io.tempora.history.workflow;

import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.EnumMap;
import java.util.Map;

/** The table of appliers, one per event type. Live processing and rebuild from history both go through it. */
public final class EventAppliers {
    private static final Map<EventType, EventApplier> APPLIERS = new EnumMap<>(EventType.class);

    static {
        ExecutionAppliers.register(APPLIERS);
        WorkflowTaskAppliers.register(APPLIERS);
        ActivityAppliers.register(APPLIERS);
        TimerAppliers.register(APPLIERS);
        ChildAppliers.register(APPLIERS);
        UpdateAppliers.register(APPLIERS);
    }

    private EventAppliers() {}

    public static void apply(MutableStateRecord.Builder state, HistoryEvent event) {
        EventApplier applier = APPLIERS.get(event.getEventType());
        if (applier == null) {
            throw new IllegalStateException("no applier for " + event.getEventType());
        }
        applier.apply(state, event);
    }
}
