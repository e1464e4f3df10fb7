package io.tempora.history.api;

import com.google.protobuf.ByteString;
import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.HistoryPageToken;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * GetWorkflowExecutionHistory: paged reads, the long poll for new events (wait_new_event) and the close-event
 * filter the SDKs use to wait for a result; and its reverse form.
 */
public final class GetWorkflowHistory {
    private static final int MAX_PAGE_SIZE = 1000;

    private final Workflows workflows;
    private final HistoryPages pages;
    private final long longPollMs;

    public GetWorkflowHistory(Workflows workflows, HistoryPages pages, long longPollMs) {
        this.workflows = workflows;
        this.pages = pages;
        this.longPollMs = longPollMs;
    }

    public GetWorkflowExecutionHistoryResponse get(String namespaceId, GetWorkflowExecutionHistoryRequest request, long deadlineMs) {
        HistoryPageToken token = request.getNextPageToken().isEmpty() ? null : HistoryPages.parseToken(request.getNextPageToken());
        String runId = token != null && !token.getRunId().isEmpty() ? token.getRunId() : request.getExecution().getRunId();
        WorkflowKey key = workflows.resolve(namespaceId, request.getExecution().getWorkflowId(), runId);
        int pageSize = request.getMaximumPageSize() <= 0 ? MAX_PAGE_SIZE : Math.min(request.getMaximumPageSize(), MAX_PAGE_SIZE);
        long pollUntil = Math.min(deadlineMs - 500, System.currentTimeMillis() + longPollMs);

        if (request.getHistoryEventFilterType() == HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT) {
            MutableStateRecord state = request.getWaitNewEvent() ? workflows.awaitState(key, st -> !isRunning(st), pollUntil) : workflows.get(key);
            if (isRunning(state)) {
                // Still running: an empty page with a token tells the client to poll again.
                ByteString again = request.getWaitNewEvent()
                        ? HistoryPageToken.newBuilder().setRunId(key.runId()).build().toByteString() : ByteString.EMPTY;
                return GetWorkflowExecutionHistoryResponse.newBuilder().setHistory(History.getDefaultInstance())
                        .setNextPageToken(again).build();
            }
            long closeId = state.getExecution().getCompletionEventId();
            List<HistoryEvent> close = workflows.readHistory(key, closeId, closeId + 1);
            String nextRun = close.isEmpty() ? "" : io.tempora.history.workflow.CloseEvents.nextRunId(close.getFirst());
            if (request.getWaitNewEvent() && !nextRun.isEmpty()) {
                // A retried or cron run goes on in a new run: a client waiting for the result waits for the chain.
                // (SDKs follow continue-as-new themselves; the Java SDK does not follow these.)
                return get(namespaceId, request.toBuilder().clearNextPageToken()
                        .setExecution(request.getExecution().toBuilder().setRunId(nextRun)).build(), deadlineMs);
            }
            return GetWorkflowExecutionHistoryResponse.newBuilder().setHistory(History.newBuilder().addAllEvents(close)).build();
        }

        if (token != null && token.getEndEventId() > 0) {
            HistoryPages.Page page = pages.next(key, token, pageSize);
            return response(page);
        }
        long from = token != null ? token.getNextEventId() : 1;
        MutableStateRecord state = workflows.get(key);
        if (request.getWaitNewEvent() && isRunning(state) && from >= state.getNextEventId()) {
            state = workflows.awaitState(key, st -> !isRunning(st) || from < st.getNextEventId(), pollUntil);
        }
        long end = state.getNextEventId();
        HistoryPages.Page page = pages.read(key, from, end, List.of(), pageSize);
        if (page.nextPageToken().isEmpty() && request.getWaitNewEvent() && isRunning(state)) {
            // Following a running workflow: the next call waits for events after this page.
            ByteString next = HistoryPageToken.newBuilder().setRunId(key.runId()).setNextEventId(end).build().toByteString();
            return GetWorkflowExecutionHistoryResponse.newBuilder().setHistory(page.history()).setNextPageToken(next).build();
        }
        return response(page);
    }

    private static GetWorkflowExecutionHistoryResponse response(HistoryPages.Page page) {
        return GetWorkflowExecutionHistoryResponse.newBuilder().setHistory(page.history()).setNextPageToken(page.nextPageToken()).build();
    }

    public GetWorkflowExecutionHistoryReverseResponse reverse(String namespaceId, GetWorkflowExecutionHistoryReverseRequest request) {
        HistoryPageToken token = request.getNextPageToken().isEmpty() ? null : HistoryPages.parseToken(request.getNextPageToken());
        String runId = token != null && !token.getRunId().isEmpty() ? token.getRunId() : request.getExecution().getRunId();
        WorkflowKey key = workflows.resolve(namespaceId, request.getExecution().getWorkflowId(), runId);
        int pageSize = request.getMaximumPageSize() <= 0 ? MAX_PAGE_SIZE : Math.min(request.getMaximumPageSize(), MAX_PAGE_SIZE);
        long endExclusive = token != null ? token.getNextEventId() : workflows.get(key).getNextEventId();
        long from = Math.max(1, endExclusive - pageSize);
        List<HistoryEvent> events = new ArrayList<>(workflows.readHistory(key, from, endExclusive));
        Collections.reverse(events);
        GetWorkflowExecutionHistoryReverseResponse.Builder r = GetWorkflowExecutionHistoryReverseResponse.newBuilder()
                .setHistory(History.newBuilder().addAllEvents(events));
        if (from > 1) {
            r.setNextPageToken(HistoryPageToken.newBuilder().setRunId(key.runId()).setNextEventId(from).build().toByteString());
        }
        return r.build();
    }

    private static boolean isRunning(MutableStateRecord state) {
        return state.getExecution().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }
}
