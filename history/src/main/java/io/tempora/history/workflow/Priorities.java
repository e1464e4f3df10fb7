package io.tempora.history.workflow;

import io.temporal.api.common.v1.Priority;

/** Task priorities: what an activity or child sets overrides the workflow's, field by field (as the official server merges). */
public final class Priorities {
    private Priorities() {}

    public static Priority merge(Priority base, Priority override) {
        if (base == null || base.equals(Priority.getDefaultInstance())) {
            return override == null ? Priority.getDefaultInstance() : override;
        }
        if (override == null) {
            return base;
        }
        return Priority.newBuilder()
                .setPriorityKey(override.getPriorityKey() != 0 ? override.getPriorityKey() : base.getPriorityKey())
                .setFairnessKey(!override.getFairnessKey().isEmpty() ? override.getFairnessKey() : base.getFairnessKey())
                .setFairnessWeight(override.getFairnessWeight() != 0 ? override.getFairnessWeight() : base.getFairnessWeight())
                .build();
    }
}
