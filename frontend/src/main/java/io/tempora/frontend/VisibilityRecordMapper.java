package io.tempora.frontend;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.tempora.persistence.visibility.VisibilityRecord;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;

/** A visibility record as list calls answer it. */
final class VisibilityRecordMapper {
    private VisibilityRecordMapper() {}

    static WorkflowExecutionInfo toInfo(VisibilityRecord r) {
        WorkflowExecutionInfo.Builder info = WorkflowExecutionInfo.newBuilder()
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(r.workflowId()).setRunId(r.runId()))
                .setType(WorkflowType.newBuilder().setName(r.workflowType()))
                .setStartTime(timestamp(r.startTime()))
                .setExecutionTime(timestamp(r.executionTime()))
                .setStatus(WorkflowExecutionStatus.forNumber(r.status()))
                .setHistoryLength(r.historyLength())
                .setHistorySizeBytes(r.historySizeBytes())
                .setStateTransitionCount(r.stateTransitionCount())
                .setTaskQueue(r.taskQueue())
                .setRootExecution(WorkflowExecution.newBuilder().setWorkflowId(r.rootWorkflowId()).setRunId(r.rootRunId()));
        if (r.closeTime() != null) {
            info.setCloseTime(timestamp(r.closeTime()));
        }
        if (r.executionDuration() != null) {
            info.setExecutionDuration(Duration.newBuilder().setSeconds(r.executionDuration() / 1_000_000_000L)
                    .setNanos((int) (r.executionDuration() % 1_000_000_000L)));
        }
        if (r.parentWorkflowId() != null) {
            info.setParentExecution(WorkflowExecution.newBuilder().setWorkflowId(r.parentWorkflowId())
                    .setRunId(r.parentRunId() == null ? "" : r.parentRunId()));
        }
        try {
            if (r.memo() != null) {
                info.setMemo(Memo.parseFrom(r.memo()));
            }
            if (r.searchAttributes() != null) {
                info.setSearchAttributes(SearchAttributes.parseFrom(r.searchAttributes()));
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("corrupt visibility record of run " + r.runId(), e);
        }
        return info.build();
    }

    private static Timestamp timestamp(long epochNanos) {
        return Timestamp.newBuilder().setSeconds(Math.floorDiv(epochNanos, 1_000_000_000L))
                .setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L)).build();
    }
}
