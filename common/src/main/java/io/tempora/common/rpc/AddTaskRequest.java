package io.tempora.common.rpc;

import io.tempora.common.proto.MatchingTask;

/**
 * One task for a task queue. {@code activity} selects the activity or workflow task queue type;
 * {@code sticky} is the task queue kind.
 */
public record AddTaskRequest(String namespaceId, String taskQueue, boolean activity, boolean sticky, MatchingTask task) {}
