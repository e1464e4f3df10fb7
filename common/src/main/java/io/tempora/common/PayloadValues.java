package io.tempora.common;

import io.temporal.api.common.v1.Payload;

/** Facts about payload values that the server acts on. */
public final class PayloadValues {
    private PayloadValues() {}

    /**
     * An upserted memo or search attribute value that removes its key: the nil payload (the SDKs' {@code binary/null},
     * or JSON {@code null}), an empty JSON list, or a payload with nothing in it.
     */
    public static boolean isRemoval(Payload p) {
        String encoding = p.getMetadataOrDefault("encoding", com.google.protobuf.ByteString.EMPTY).toStringUtf8();
        String data = p.getData().toStringUtf8();
        if (encoding.equals("binary/null")) {
            return true;
        }
        if (encoding.equals("json/plain")) {
            return data.equals("null") || data.equals("[]");
        }
        return p.getMetadataCount() == 0 && data.isEmpty();
    }
}
