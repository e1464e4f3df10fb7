package io.tempora.bench;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;

/**
 * The few payloads the raw bench sends, encoded as the SDKs' default converter does ({@code json/plain}), so a
 * human looking at the histories (or an SDK replaying them) reads them as usual.
 */
final class RawPayloads {

  private static final ByteString JSON_PLAIN = ByteString.copyFromUtf8("json/plain");

  private RawPayloads() {}

  /** One payload holding {@code json} as it is. */
  static Payloads json(String json) {
    return Payloads.newBuilder()
        .addPayloads(Payload.newBuilder().putMetadata("encoding", JSON_PLAIN).setData(ByteString.copyFromUtf8(json)))
        .build();
  }

  /** A JSON string; only for the bench's own ids and labels, which need no escaping. */
  static Payloads jsonString(String text) {
    return json('"' + text + '"');
  }

  /** The data of the first payload as text, "" if there is none. */
  static String text(Payloads payloads) {
    return payloads.getPayloadsCount() == 0 ? "" : payloads.getPayloads(0).getData().toStringUtf8();
  }
}
