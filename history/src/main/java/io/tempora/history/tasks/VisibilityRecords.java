package io.tempora.history.tasks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.searchattribute.SearchAttributeDefinitions;
import io.tempora.persistence.visibility.VisibilityRecord;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Builds a run's visibility record from its state, with its search attributes stored by column. */
final class VisibilityRecords {
    private static final long NANOS_PER_MS = 1_000_000L;

    private VisibilityRecords() {}

    /**
     * {@code customColumns} maps the namespace's custom attribute names to their columns, {@code customTypes} to their
     * types; a value of an attribute the namespace no longer has is kept in the proto but not in any column.
     */
    static VisibilityRecord of(MutableStateRecord state, Map<String, String> customColumns, Map<String, IndexedValueType> customTypes) {
        ExecutionInfo e = state.getExecution();
        long start = e.getStartTimeMs() * NANOS_PER_MS;
        long execution = (e.getStartTimeMs() + e.getFirstWorkflowTaskBackoffMs()) * NANOS_PER_MS;
        boolean open = e.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
        Long close = open ? null : e.getCloseTimeMs() * NANOS_PER_MS;
        Long duration = close == null ? null : Math.max(0, close - execution);
        return new VisibilityRecord(e.getNamespaceId(), e.getRunId(), e.getWorkflowId(), e.getWorkflowType(), e.getStatus(),
                start, execution, close, duration, state.getNextEventId() - 1, e.getHistorySizeBytes(), e.getStateTransitionCount(),
                e.getTaskQueue(), emptyToNull(e.getParentWorkflowId()), emptyToNull(e.getParentRunId()),
                e.getRootWorkflowId().isEmpty() ? e.getWorkflowId() : e.getRootWorkflowId(),
                e.getRootRunId().isEmpty() ? e.getRunId() : e.getRootRunId(),
                e.getMemo().isEmpty() ? null : e.getMemo().toByteArray(),
                e.getSearchAttributes().isEmpty() ? null : e.getSearchAttributes().toByteArray(),
                columnsJson(e, customColumns, customTypes), state.getDbVersion());
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String columnsJson(ExecutionInfo e, Map<String, String> customColumns, Map<String, IndexedValueType> customTypes) {
        if (e.getSearchAttributes().isEmpty()) {
            return null;
        }
        SearchAttributes attributes;
        try {
            attributes = SearchAttributes.parseFrom(e.getSearchAttributes());
        } catch (InvalidProtocolBufferException ex) {
            throw new IllegalStateException("corrupt search attributes of run " + e.getRunId(), ex);
        }
        JsonObject json = new JsonObject();
        attributes.getIndexedFieldsMap().forEach((name, payload) -> {
            String column;
            IndexedValueType type;
            if (SearchAttributeDefinitions.PREDEFINED.containsKey(name)) {
                column = name;
                type = SearchAttributeDefinitions.PREDEFINED.get(name);
            } else if (SearchAttributeDefinitions.PREDEFINED_READ_ONLY.containsKey(name)) {
                column = name;
                type = SearchAttributeDefinitions.PREDEFINED_READ_ONLY.get(name);
            } else {
                column = customColumns.get(name);
                type = customTypes.get(name);
            }
            if (column != null && type != null) {
                JsonElement value = columnValue(type, payload);
                if (value != null) {
                    json.add(column, value);
                }
            }
        });
        return json.isEmpty() ? null : json.toString();
    }

    /** The value as its column holds it: datetimes as epoch nanoseconds, lists as arrays; null when it does not parse. */
    static JsonElement columnValue(IndexedValueType type, Payload payload) {
        JsonElement value;
        try {
            value = JsonParser.parseString(payload.getData().toStringUtf8());
        } catch (RuntimeException e) {
            return null;
        }
        if (value.isJsonNull()) {
            return null;
        }
        if (type == IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST) {
            if (value.isJsonArray()) {
                return value;
            }
            JsonArray single = new JsonArray();
            single.add(value);
            return single;
        }
        if (value.isJsonArray()) { // a list for a scalar type (the official server accepts it): the first value counts
            JsonArray array = value.getAsJsonArray();
            if (array.isEmpty()) {
                return null;
            }
            value = array.get(0);
        }
        if (type == IndexedValueType.INDEXED_VALUE_TYPE_DATETIME && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()) {
            try {
                OffsetDateTime t = OffsetDateTime.parse(value.getAsString());
                return new JsonPrimitive(Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano()));
            } catch (DateTimeParseException | ArithmeticException e) { // beyond what epoch nanoseconds hold: not indexed
                return null;
            }
        }
        return value;
    }
}
