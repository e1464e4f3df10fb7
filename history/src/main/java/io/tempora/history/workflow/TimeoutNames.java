package io.tempora.history.workflow;

import io.temporal.api.enums.v1.TimeoutType;

/** The short names the official server prints for timeout types ("StartToClose"). */
final class TimeoutNames {
    private TimeoutNames() {}

    static String name(TimeoutType t) {
        return switch (t) {
            case TIMEOUT_TYPE_START_TO_CLOSE -> "StartToClose";
            case TIMEOUT_TYPE_SCHEDULE_TO_START -> "ScheduleToStart";
            case TIMEOUT_TYPE_SCHEDULE_TO_CLOSE -> "ScheduleToClose";
            case TIMEOUT_TYPE_HEARTBEAT -> "Heartbeat";
            default -> "Unspecified";
        };
    }
}
