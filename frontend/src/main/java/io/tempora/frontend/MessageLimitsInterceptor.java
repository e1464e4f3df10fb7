package io.tempora.frontend;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;

/**
 * The official frontend's message rules, on every call. A request over the gRPC size limit is refused with the status
 * grpc-go gives it (the SDKs turn exactly that into GrpcMessageTooLargeException), and an error message longer than
 * the limit is cut, as the official service error interceptor does: a status message is a header, and one that is too
 * long breaks the call instead of failing it.
 */
public final class MessageLimitsInterceptor implements ServerInterceptor {
    static final String TRUNCATED_SUFFIX = "... <truncated>";

    private final int maxMessageBytes;
    private final int maxErrorMessageBytes;

    public MessageLimitsInterceptor(int maxMessageBytes, int maxErrorMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        this.maxErrorMessageBytes = maxErrorMessageBytes;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall<Q, R> truncating = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                super.close(truncate(status), truncateDetails(trailers));
            }
        };
        ServerCall.Listener<Q> listener = next.startCall(truncating, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                int size = message instanceof MessageLite m ? m.getSerializedSize() : 0;
                if (size > maxMessageBytes) {
                    refused = true;
                    truncating.close(Status.RESOURCE_EXHAUSTED.withDescription(
                            "grpc: received message larger than max (" + size + " vs. " + maxMessageBytes + ")"), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    /** The rich status in the trailers (google.rpc.Status, what the SDKs decode) carries the message too. */
    private Metadata truncateDetails(Metadata trailers) {
        com.google.rpc.Status details = trailers.get(DETAILS_KEY);
        if (details == null || details.getMessage().getBytes(StandardCharsets.UTF_8).length <= maxErrorMessageBytes) {
            return trailers;
        }
        trailers.removeAll(DETAILS_KEY);
        trailers.put(DETAILS_KEY, details.toBuilder().setMessage(truncated(details.getMessage())).build());
        return trailers;
    }

    private static final Metadata.Key<com.google.rpc.Status> DETAILS_KEY =
            io.grpc.protobuf.ProtoUtils.keyForProto(com.google.rpc.Status.getDefaultInstance());

    private String truncated(String message) {
        return truncateUtf8(message, maxErrorMessageBytes - TRUNCATED_SUFFIX.length()) + TRUNCATED_SUFFIX;
    }

    private Status truncate(Status status) {
        String description = status.getDescription();
        if (description == null) {
            return status;
        }
        byte[] utf8 = description.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= maxErrorMessageBytes) {
            return status;
        }
        return status.withDescription(truncated(description));
    }

    /** The longest prefix of {@code s} that fits in {@code maxBytes} of UTF-8, never splitting a character. */
    static String truncateUtf8(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
