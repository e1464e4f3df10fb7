package io.tempora.common.rpc;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;

/**
 * A child's run closed for good (not continued): its parent records the outcome (RecordChildExecutionCompleted of
 * the official history service). Keyed by the parent.
 */
public record ChildCompletion(String parentNamespaceId, WorkflowExecution parent, long initiatedEventId,
                              String childNamespaceId, String childNamespace, WorkflowExecution child, String workflowType,
                              HistoryEvent closeEvent) {}
