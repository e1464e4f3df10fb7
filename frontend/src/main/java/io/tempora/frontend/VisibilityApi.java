package io.tempora.frontend;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.VisibilityPageToken;
import io.tempora.common.searchattribute.SearchAttributeDefinitions;
import io.tempora.persistence.visibility.query.InvalidVisibilityQueryException;
import io.tempora.persistence.visibility.query.Translation;
import io.tempora.persistence.visibility.query.VisibilityQueryTranslator;
import io.tempora.persistence.visibility.VisibilityRecord;
import io.tempora.persistence.visibility.VisibilityStore;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.GetSearchAttributesResponse;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * List, scan and count of workflow executions from the visibility store, with the official frontend's page sizes,
 * filters and errors (service/frontend/workflow_handler.go): the legacy open/closed lists are queries of the same
 * language, as there.
 */
public final class VisibilityApi {
    /** frontend.visibilityMaxPageSize: the default and the largest page of a list. */
    static final int MAX_PAGE_SIZE = 1000;
    /** frontend.visibilityArchivalQueryMaxPageSize. */
    static final int ARCHIVAL_MAX_PAGE_SIZE = 10_000;

    private final VisibilityStore store;

    public VisibilityApi(VisibilityStore store) {
        this.store = store;
    }

    /** A page of executions and the token of the next one (empty when this was the last). */
    public record Page(List<io.temporal.api.workflow.v1.WorkflowExecutionInfo> executions, ByteString nextPageToken) {}

    public Page list(NamespaceRecord ns, String query, int pageSize, ByteString pageToken) {
        int size = pageSize <= 0 || pageSize > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : pageSize;
        Translation t = translate(ns, query);
        VisibilityRecord.PageKey after = pageKey(pageToken);
        // One more than asked tells whether another page follows, so the last page carries no token.
        List<VisibilityRecord> rows = store.list(ns.getId(), t.where(), t.params(), after, size + 1);
        List<io.temporal.api.workflow.v1.WorkflowExecutionInfo> executions = new ArrayList<>(Math.min(size, rows.size()));
        for (int i = 0; i < Math.min(size, rows.size()); i++) {
            executions.add(VisibilityRecordMapper.toInfo(rows.get(i)));
        }
        ByteString next = rows.size() > size ? token(rows.get(size - 1).pageKey()) : ByteString.EMPTY;
        return new Page(executions, next);
    }

    public CountWorkflowExecutionsResponse count(NamespaceRecord ns, String query) {
        Translation t = translate(ns, query);
        if (!t.groupByExecutionStatus()) {
            return CountWorkflowExecutionsResponse.newBuilder().setCount(store.count(ns.getId(), t.where(), t.params())).build();
        }
        CountWorkflowExecutionsResponse.Builder response = CountWorkflowExecutionsResponse.newBuilder();
        long total = 0;
        for (Map.Entry<Integer, Long> group : store.countByStatus(ns.getId(), t.where(), t.params()).entrySet()) {
            response.addGroups(CountWorkflowExecutionsResponse.AggregationGroup.newBuilder()
                    .addGroupValues(keyword(statusName(group.getKey()))).setCount(group.getValue()));
            total += group.getValue();
        }
        return response.setCount(total).build();
    }

    /** ListOpenWorkflowExecutions, as the query the official frontend builds for it. */
    public Page listOpen(NamespaceRecord ns, ListOpenWorkflowExecutionsRequest r) {
        List<String> query = new ArrayList<>(List.of("ExecutionStatus = 'Running'"));
        timeRange(query, "StartTime", r.hasStartTimeFilter() ? r.getStartTimeFilter().getEarliestTime() : null,
                r.hasStartTimeFilter() ? r.getStartTimeFilter().getLatestTime() : null);
        if (r.hasExecutionFilter()) {
            query.add("WorkflowId = " + quoted(r.getExecutionFilter().getWorkflowId()));
        } else if (r.hasTypeFilter()) {
            query.add("WorkflowType = " + quoted(r.getTypeFilter().getName()));
        }
        return list(ns, String.join(" AND ", query), r.getMaximumPageSize(), r.getNextPageToken());
    }

    /** ListClosedWorkflowExecutions: the close time range, and one of the workflow id, type or status filters. */
    public Page listClosed(NamespaceRecord ns, ListClosedWorkflowExecutionsRequest r) {
        List<String> query = new ArrayList<>(List.of("ExecutionStatus != 'Running'"));
        timeRange(query, "CloseTime", r.hasStartTimeFilter() ? r.getStartTimeFilter().getEarliestTime() : null,
                r.hasStartTimeFilter() ? r.getStartTimeFilter().getLatestTime() : null);
        if (r.hasExecutionFilter()) {
            query.add("WorkflowId = " + quoted(r.getExecutionFilter().getWorkflowId()));
        } else if (r.hasTypeFilter()) {
            query.add("WorkflowType = " + quoted(r.getTypeFilter().getName()));
        } else if (r.hasStatusFilter()) {
            WorkflowExecutionStatus status = r.getStatusFilter().getStatus();
            if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
                    || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING || status == WorkflowExecutionStatus.UNRECOGNIZED) {
                throw ServiceErrors.invalidArgument("StatusFilter must be specified and must be not Running.");
            }
            query.add("ExecutionStatus = " + quoted(statusName(status.getNumber())));
        }
        return list(ns, String.join(" AND ", query), r.getMaximumPageSize(), r.getNextPageToken());
    }

    /** ListArchivedWorkflowExecutions: Tempora has no archival, so the cluster is not configured for it. */
    public void listArchived(int pageSize) {
        if (pageSize > ARCHIVAL_MAX_PAGE_SIZE) {
            throw ServiceErrors.invalidArgument("PageSize is larger than allowed " + ARCHIVAL_MAX_PAGE_SIZE + ".");
        }
        throw ServiceErrors.invalidArgument("Cluster is not configured for visibility archival.");
    }

    /** GetSearchAttributes: the system and predefined attributes and, as the SQL visibility, its custom columns. */
    public GetSearchAttributesResponse searchAttributes() {
        GetSearchAttributesResponse.Builder keys = GetSearchAttributesResponse.newBuilder()
                .putAllKeys(SearchAttributeDefinitions.systemAttributes());
        for (IndexedValueType type : IndexedValueType.values()) {
            if (type == IndexedValueType.UNRECOGNIZED) {
                continue;
            }
            for (int i = 1; i <= SearchAttributeDefinitions.maxCustomOfType(type); i++) {
                keys.putKeys(SearchAttributeDefinitions.customColumn(type, i), type);
            }
        }
        return keys.build();
    }

    private Translation translate(NamespaceRecord ns, String query) {
        try {
            return new VisibilityQueryTranslator(VisibilityFields.of(ns), store.querySql()).translate(query);
        } catch (InvalidVisibilityQueryException e) {
            throw ServiceErrors.invalidArgument(e.getMessage());
        }
    }

    private static void timeRange(List<String> query, String attribute, Timestamp earliest, Timestamp latest) {
        boolean from = earliest != null && (earliest.getSeconds() != 0 || earliest.getNanos() != 0);
        boolean to = latest != null && (latest.getSeconds() != 0 || latest.getNanos() != 0);
        if (from && to) {
            if (instant(earliest).isAfter(instant(latest))) {
                throw ServiceErrors.invalidArgument("EarliestTime in StartTimeFilter should not be larger than LatestTime.");
            }
            query.add(attribute + " BETWEEN " + quoted(instant(earliest).toString()) + " AND " + quoted(instant(latest).toString()));
        } else if (from) {
            query.add(attribute + " >= " + quoted(instant(earliest).toString()));
        } else if (to) {
            query.add(attribute + " <= " + quoted(instant(latest).toString()));
        }
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    /** A string literal of the query language: single quotes; a quote inside doubled, a backslash escaped. */
    static String quoted(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** "Running", "ContinuedAsNew" ...: the status names of queries and of group values. */
    static String statusName(int status) {
        WorkflowExecutionStatus s = WorkflowExecutionStatus.forNumber(status);
        if (s == null) {
            return Integer.toString(status);
        }
        StringBuilder name = new StringBuilder();
        for (String part : s.name().replace("WORKFLOW_EXECUTION_STATUS_", "").split("_")) {
            name.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return name.toString();
    }

    private static Payload keyword(String value) {
        return Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .putMetadata("type", ByteString.copyFromUtf8("Keyword"))
                .setData(ByteString.copyFromUtf8(new com.google.gson.JsonPrimitive(value).toString()))
                .build();
    }

    private static VisibilityRecord.PageKey pageKey(ByteString token) {
        if (token.isEmpty()) {
            return null;
        }
        try {
            VisibilityPageToken t = VisibilityPageToken.parseFrom(token);
            if (t.getRunId().isEmpty()) {
                throw ServiceErrors.invalidArgument("Invalid NextPageToken.");
            }
            return new VisibilityRecord.PageKey(t.getCloseTimeSort(), t.getStartTime(), t.getRunId());
        } catch (InvalidProtocolBufferException e) {
            throw ServiceErrors.invalidArgument("Invalid NextPageToken.");
        }
    }

    private static ByteString token(VisibilityRecord.PageKey key) {
        return VisibilityPageToken.newBuilder().setCloseTimeSort(key.closeTimeSort()).setStartTime(key.startTime())
                .setRunId(key.runId()).build().toByteString();
    }
}
