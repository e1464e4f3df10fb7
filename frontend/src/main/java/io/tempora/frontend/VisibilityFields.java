package io.tempora.frontend;

import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.searchattribute.CustomSearchAttributes;
import io.tempora.common.searchattribute.SearchAttributeDefinitions;
import io.tempora.persistence.visibility.query.VisibilityField;
import io.temporal.api.enums.v1.IndexedValueType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The attributes a list query of a namespace may use, and the visibility column of each. */
public final class VisibilityFields {
    private static final Map<String, String> SYSTEM_COLUMNS = Map.ofEntries(
            Map.entry("WorkflowId", "workflow_id"), Map.entry("RunId", "run_id"), Map.entry("WorkflowType", "workflow_type_name"),
            Map.entry("TaskQueue", "task_queue"), Map.entry("ExecutionStatus", "status"),
            Map.entry("ParentWorkflowId", "parent_workflow_id"), Map.entry("ParentRunId", "parent_run_id"),
            Map.entry("RootWorkflowId", "root_workflow_id"), Map.entry("RootRunId", "root_run_id"),
            Map.entry("StartTime", "start_time"), Map.entry("ExecutionTime", "execution_time"), Map.entry("CloseTime", "close_time"),
            Map.entry("HistoryLength", "history_length"), Map.entry("ExecutionDuration", "execution_duration"),
            Map.entry("StateTransitionCount", "state_transition_count"), Map.entry("HistorySizeBytes", "history_size_bytes"));

    private VisibilityFields() {}

    public static Function<String, Optional<VisibilityField>> of(NamespaceRecord ns) {
        Map<String, VisibilityField> fields = new LinkedHashMap<>();
        SearchAttributeDefinitions.SYSTEM.forEach((name, type) -> fields.put(name, new VisibilityField(name, SYSTEM_COLUMNS.get(name), type)));
        SearchAttributeDefinitions.PREDEFINED.forEach((name, type) -> fields.put(name, new VisibilityField(name, name, type)));
        SearchAttributeDefinitions.PREDEFINED_READ_ONLY.forEach((name, type) -> fields.put(name, new VisibilityField(name, name, type)));
        Map<String, IndexedValueType> types = CustomSearchAttributes.of(ns);
        CustomSearchAttributes.columns(ns).forEach((name, column) -> fields.put(name, new VisibilityField(name, column, types.get(name))));
        return name -> Optional.ofNullable(fields.get(name));
    }
}
