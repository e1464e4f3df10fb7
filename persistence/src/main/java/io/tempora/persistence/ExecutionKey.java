package io.tempora.persistence;

/** Identifies one workflow run within its shard. */
public record ExecutionKey(int shardId, String namespaceId, String workflowId, String runId) {}
