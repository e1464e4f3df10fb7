package io.tempora.persistence.visibility.query;

import java.util.List;
import java.util.Objects;

/**
 * A visibility query as SQL over {@code executions_visibility}: {@code where} is a boolean expression with {@code ?}
 * placeholders (empty for an empty query), {@code params} their values in order (String, Long or Double), and
 * {@code groupByExecutionStatus} whether the query asked to count by {@code ExecutionStatus}. The caller adds the
 * namespace filter, paging and the order.
 */
public record Translation(String where, List<Object> params, boolean groupByExecutionStatus) {
    public Translation {
        Objects.requireNonNull(where, "where");
        params = List.copyOf(params);
    }
}
