package io.tempora.history.api;

import io.grpc.StatusRuntimeException;
import io.tempora.common.ServiceErrors;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.persistence.CurrentExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.workflowservice.v1.ExecuteMultiOperationResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Update-with-start (ExecuteMultiOperation with [Start, Update]): starts the workflow unless its conflict policy
 * says to use the running one, and sends it the update. A new run gets the update on its first workflow task,
 * because it is admitted in the run's creating transition. Failures come back as a MultiOperationExecutionFailure
 * with one status per operation, as the official server answers.
 */
public final class UpdateWithStart {
    private final StartWorkflow starter;
    private final UpdateWorkflow updates;

    public UpdateWithStart(StartWorkflow starter, UpdateWorkflow updates) {
        this.starter = starter;
        this.updates = updates;
    }

    public ExecuteMultiOperationResponse execute(String namespaceId, StartWorkflowExecutionRequest start,
                                                 UpdateWorkflowExecutionRequest update, long deadlineMs) {
        // An update the current run already has (completed, even in a closed run, or in flight) is answered from
        // that run under every conflict policy, as the official server does.
        Optional<CurrentExecution> current = updates.currentRun(namespaceId, start.getWorkflowId());
        if (current.isPresent()) {
            WorkflowKey key = new WorkflowKey(namespaceId, start.getWorkflowId(), current.get().runId());
            if (updates.knows(key, update.getRequest().getMeta().getUpdateId())) {
                StartWorkflowExecutionResponse notStarted = StartWorkflowExecutionResponse.newBuilder().setRunId(key.runId())
                        .setStarted(false).setStatus(WorkflowExecutionStatus.forNumber(current.get().status())).build();
                return response(notStarted, updateOf(key, update, deadlineMs, ServiceErrors.operationAborted()));
            }
        }
        // Update-with-start fails on a running workflow unless the caller chose otherwise.
        StartWorkflowExecutionRequest startRequest = start.getWorkflowIdConflictPolicy() == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED
                ? start.toBuilder().setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL).build() : start;
        List<WorkflowKey> admittedTo = new ArrayList<>();
        AtomicReference<UpdateWorkflow.InFlight> admitted = new AtomicReference<>();
        StartWorkflowExecutionResponse started = null;
        try {
            started = starter.start(namespaceId, startRequest, null, ms -> {
                admittedTo.add(ms.key());
                admitted.set(updates.admit(ms.key(), update.getRequest()));
            }, running -> true);
        } catch (StatusRuntimeException e) {
            throw ServiceErrors.startWithUpdateFailed(ServiceErrors.statusOf(e), ServiceErrors.operationAborted());
        } finally {
            // Runs that were not created (a failed or lost start) must not keep the update admitted to them.
            String createdRunId = started == null ? null : started.getRunId();
            admittedTo.stream().filter(k -> !k.runId().equals(createdRunId)).forEach(updates::forgetRun);
        }
        WorkflowKey key = new WorkflowKey(namespaceId, start.getWorkflowId(), started.getRunId());
        UpdateWorkflowExecutionResponse updated;
        if (admittedTo.contains(key)) {
            try {
                updated = updates.waitFor(key, UpdateWorkflow.ref(key, update.getRequest().getMeta().getUpdateId()), admitted.get(),
                        update.getWaitPolicy().getLifecycleStage(), deadlineMs);
            } catch (StatusRuntimeException e) {
                throw ServiceErrors.startWithUpdateFailed(ServiceErrors.ok(), ServiceErrors.statusOf(e));
            }
        } else {
            // The running workflow, or the one this request started before (a retried request).
            updated = updateOf(key, update, deadlineMs, started.getStarted() ? ServiceErrors.ok() : ServiceErrors.operationAborted());
        }
        return response(started, updated);
    }

    /** Sends the update to an existing run; a failure reports the start as {@code startStatus}. */
    private UpdateWorkflowExecutionResponse updateOf(WorkflowKey key, UpdateWorkflowExecutionRequest update, long deadlineMs,
                                                     com.google.rpc.Status startStatus) {
        try {
            return updates.update(key, update, deadlineMs);
        } catch (StatusRuntimeException e) {
            throw ServiceErrors.startWithUpdateFailed(startStatus, ServiceErrors.statusOf(e));
        }
    }

    private static ExecuteMultiOperationResponse response(StartWorkflowExecutionResponse started, UpdateWorkflowExecutionResponse updated) {
        return ExecuteMultiOperationResponse.newBuilder()
                .addResponses(ExecuteMultiOperationResponse.Response.newBuilder().setStartWorkflow(started))
                .addResponses(ExecuteMultiOperationResponse.Response.newBuilder().setUpdateWorkflow(updated))
                .build();
    }
}
