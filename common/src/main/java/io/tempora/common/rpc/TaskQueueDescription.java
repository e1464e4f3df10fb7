package io.tempora.common.rpc;

import io.temporal.api.taskqueue.v1.PollerInfo;
import java.util.List;

/**
 * One task queue of one type as matching sees it: the workers that polled it in the last five minutes, its backlog
 * (tasks waiting in the database and the age of the oldest) and its add and dispatch rates over the last 30 seconds.
 */
public record TaskQueueDescription(List<PollerInfo> pollers, long backlogCount, long backlogAgeMs, double addRatePerSecond,
                                   double dispatchRatePerSecond) {}
