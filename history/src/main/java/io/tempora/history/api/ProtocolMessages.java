package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.temporal.api.protocol.v1.Message;
import java.util.List;

/**
 * The shape checks the official server makes on a workflow task's protocol messages before anything else: a message
 * must carry a body whose type names its protocol. A malformed one is INVALID_ARGUMENT and nothing is recorded.
 */
final class ProtocolMessages {
    static final String UPDATE_PROTOCOL = "temporal.api.update.v1";

    private ProtocolMessages() {}

    static void validate(List<Message> messages) {
        for (Message m : messages) {
            protocolOf(m);
        }
    }

    /** The body's full type name, e.g. temporal.api.update.v1.Acceptance. */
    static String nameOf(Message m) {
        if (!m.hasBody()) {
            throw ServiceErrors.invalidArgument("nil message body");
        }
        String url = m.getBody().getTypeUrl();
        String name = url.substring(url.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw ServiceErrors.invalidArgument("no message name specified");
        }
        return name;
    }

    /** The protocol a message belongs to: its body's package. */
    static String protocolOf(Message m) {
        String name = nameOf(m);
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw ServiceErrors.invalidArgument("failed to extract protocol type: no . found in \"" + name + "\"");
        }
        return name.substring(0, dot);
    }
}
