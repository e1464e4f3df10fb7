package io.tempora.common.rpc;

/** The parent of a child workflow being started: the run that initiated it and the root of its workflow tree. */
public record ParentInfo(String namespaceId, String namespace, String workflowId, String runId, long initiatedEventId,
                         String rootWorkflowId, String rootRunId) {}
