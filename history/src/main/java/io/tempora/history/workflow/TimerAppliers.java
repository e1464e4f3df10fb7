package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.tempora.common.proto.TimerInfo;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.TimerStartedEventAttributes;
import java.util.Map;

/** Appliers for user timers. */
final class TimerAppliers {
    private TimerAppliers() {}

    static void register(Map<EventType, EventApplier> table) {
        table.put(EventType.EVENT_TYPE_TIMER_STARTED, (s, e) -> {
            TimerStartedEventAttributes a = e.getTimerStartedEventAttributes();
            s.putTimers(a.getTimerId(), TimerInfo.newBuilder()
                    .setTimerId(a.getTimerId())
                    .setStartedEventId(e.getEventId())
                    .setExpiryTimeMs(Times.toMillis(e.getEventTime()) + Times.toMillis(a.getStartToFireTimeout()))
                    .build());
        });
        table.put(EventType.EVENT_TYPE_TIMER_FIRED, (s, e) -> s.removeTimers(e.getTimerFiredEventAttributes().getTimerId()));
        table.put(EventType.EVENT_TYPE_TIMER_CANCELED, (s, e) -> s.removeTimers(e.getTimerCanceledEventAttributes().getTimerId()));
    }
}
