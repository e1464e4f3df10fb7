package io.tempora.history.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.HistoryPageToken;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.List;

/** Reads history in pages; the continuation token remembers where the next page starts and where it ends. */
public final class HistoryPages {
    public record Page(History history, ByteString nextPageToken) {}

    private final Workflows workflows;

    public HistoryPages(Workflows workflows) {
        this.workflows = workflows;
    }

    /**
     * Events [from, endExclusive) followed by {@code transientEvents}, at most {@code pageSize} per page.
     */
    public Page read(WorkflowKey key, long from, long endExclusive, List<HistoryEvent> transientEvents, int pageSize) {
        long to = Math.min(endExclusive, from + pageSize);
        List<HistoryEvent> events = from < to ? workflows.readHistory(key, from, to) : List.of();
        History.Builder history = History.newBuilder().addAllEvents(events);
        if (to < endExclusive) {
            HistoryPageToken.Builder token = HistoryPageToken.newBuilder()
                    .setRunId(key.runId()).setNextEventId(to).setEndEventId(endExclusive);
            if (!transientEvents.isEmpty()) {
                token.setTransientEvents(History.newBuilder().addAllEvents(transientEvents).build().toByteString());
            }
            return new Page(history.build(), token.build().toByteString());
        }
        history.addAllEvents(transientEvents);
        return new Page(history.build(), ByteString.EMPTY);
    }

    /** Continues a paged read. */
    public Page next(WorkflowKey key, HistoryPageToken token, int pageSize) {
        List<HistoryEvent> transientEvents = List.of();
        if (!token.getTransientEvents().isEmpty()) {
            try {
                transientEvents = History.parseFrom(token.getTransientEvents()).getEventsList();
            } catch (InvalidProtocolBufferException e) {
                throw ServiceErrors.invalidArgument("Invalid NextPageToken.");
            }
        }
        return read(key, token.getNextEventId(), token.getEndEventId(), transientEvents, pageSize);
    }

    public static HistoryPageToken parseToken(ByteString bytes) {
        try {
            return HistoryPageToken.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw ServiceErrors.invalidArgument("Invalid NextPageToken.");
        }
    }
}
