package io.tempora.common;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.proto.TaskToken;

/** Task tokens are opaque to clients: our TaskToken record, serialized. */
public final class TaskTokens {
    private TaskTokens() {}

    public static ByteString serialize(TaskToken token) {
        return token.toByteString();
    }

    /** Parses a client-supplied token, answering bad ones with the official INVALID_ARGUMENT errors. */
    public static TaskToken parse(ByteString bytes) {
        if (bytes == null || bytes.isEmpty()) {
            throw ServiceErrors.invalidArgument("Task token not set on request.");
        }
        try {
            TaskToken token = TaskToken.parseFrom(bytes);
            if (token.getNamespaceId().isEmpty() || token.getWorkflowId().isEmpty() || token.getRunId().isEmpty()
                    || token.getScheduledEventId() <= 0) {
                throw ServiceErrors.invalidArgument("Error deserializing task token.");
            }
            return token;
        } catch (InvalidProtocolBufferException e) {
            throw ServiceErrors.invalidArgument("Error deserializing task token.");
        }
    }
}
