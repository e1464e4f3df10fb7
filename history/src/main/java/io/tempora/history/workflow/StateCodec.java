package io.tempora.history.workflow;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.ExecutionInfo;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;

/** Decodes the Temporal messages that our records keep as bytes. */
public final class StateCodec {
    private StateCodec() {}

    public static Memo memo(ExecutionInfo info) {
        return parse(info.getMemo(), Memo.parser(), Memo.getDefaultInstance());
    }

    public static SearchAttributes searchAttributes(ExecutionInfo info) {
        return parse(info.getSearchAttributes(), SearchAttributes.parser(), SearchAttributes.getDefaultInstance());
    }

    public static io.temporal.api.common.v1.Priority priority(ExecutionInfo info) {
        return parse(info.getPriority(), io.temporal.api.common.v1.Priority.parser(), io.temporal.api.common.v1.Priority.getDefaultInstance());
    }

    public static RetryPolicy retryPolicy(ByteString bytes) {
        return parse(bytes, RetryPolicy.parser(), null);
    }

    public static Payloads payloads(ByteString bytes) {
        return parse(bytes, Payloads.parser(), null);
    }

    public static Failure failure(ByteString bytes) {
        return parse(bytes, Failure.parser(), null);
    }

    public static HistoryEvent event(ByteString bytes) {
        return parse(bytes, HistoryEvent.parser(), null);
    }

    private static <T> T parse(ByteString bytes, com.google.protobuf.Parser<T> parser, T empty) {
        if (bytes.isEmpty()) {
            return empty;
        }
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt embedded message", e);
        }
    }
}
