package io.tempora.history.workflow;

import io.tempora.common.PayloadValues;
import io.temporal.api.common.v1.Payload;
import java.util.Map;
import java.util.TreeMap;

/** Memo and search attribute upserts: upserted values replace the current ones, a removal value drops its key. */
public final class PayloadMaps {
    private PayloadMaps() {}

    public static Map<String, Payload> merge(Map<String, Payload> current, Map<String, Payload> upserted) {
        Map<String, Payload> merged = new TreeMap<>(current);
        upserted.forEach((k, v) -> {
            if (PayloadValues.isRemoval(v)) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return merged;
    }
}
