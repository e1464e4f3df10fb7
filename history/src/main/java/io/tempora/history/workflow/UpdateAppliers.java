package io.tempora.history.workflow;

import io.tempora.common.proto.UpdateInfo;
import io.temporal.api.enums.v1.EventType;
import java.util.Map;

/** Appliers for workflow updates: admitted (in history), accepted and completed updates are remembered for dedupe and polling. */
final class UpdateAppliers {
    private UpdateAppliers() {}

    static void register(Map<EventType, EventApplier> table) {
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED, (s, e) -> {
            String id = e.getWorkflowExecutionUpdateAdmittedEventAttributes().getRequest().getMeta().getUpdateId();
            s.putUpdates(id, UpdateInfo.newBuilder().setUpdateId(id).setAdmittedEventId(e.getEventId()).build());
        });
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, (s, e) -> {
            String id = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getProtocolInstanceId();
            UpdateInfo.Builder info = s.getUpdatesOrDefault(id, UpdateInfo.newBuilder().setUpdateId(id).build()).toBuilder();
            s.putUpdates(id, info.setAcceptedEventId(e.getEventId()).build());
        });
        table.put(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, (s, e) -> {
            String id = e.getWorkflowExecutionUpdateCompletedEventAttributes().getMeta().getUpdateId();
            UpdateInfo.Builder info = s.getUpdatesOrDefault(id, UpdateInfo.newBuilder().setUpdateId(id).build()).toBuilder();
            s.putUpdates(id, info.setCompletedEventId(e.getEventId()).build());
        });
    }
}
