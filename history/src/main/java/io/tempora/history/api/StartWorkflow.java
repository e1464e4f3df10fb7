package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.tempora.common.Times;
import io.tempora.history.workflow.ExecutionStateMachine;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.tempora.persistence.CurrentExecution;
import io.tempora.persistence.WorkflowWrite;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import java.util.Optional;
import java.util.UUID;

/**
 * StartWorkflowExecution: request-id dedupe, then the conflict policy (a run is running) or the reuse policy
 * (the last run is closed), then the first transition of the new run.
 */
public final class StartWorkflow {
    /** Starts that lose a race (or find the run they would join closed meanwhile) are tried again this often. */
    private static final int MAX_START_ATTEMPTS = 3;
    private static final long DEFAULT_TASK_TIMEOUT_MS = 10_000;
    private static final long MAX_TASK_TIMEOUT_MS = 120_000;

    private final Workflows workflows;
    private final TerminateWorkflow terminate;

    public StartWorkflow(Workflows workflows, TerminateWorkflow terminate) {
        this.workflows = workflows;
        this.terminate = terminate;
    }

    /** StartWorkflowExecution. */
    public StartWorkflowExecutionResponse start(String namespaceId, StartWorkflowExecutionRequest request) {
        return start(namespaceId, request, null, m -> { }, null);
    }

    public StartWorkflowExecutionResponse startChild(String namespaceId, StartWorkflowExecutionRequest request, io.tempora.common.rpc.ParentInfo parent) {
        return start(namespaceId, request, parent, m -> { }, null);
    }

    /**
     * Starts a run; {@code beforeFirstTask} adds events right after its start event. When a run is running and
     * {@code onRunning} is given (signal-with-start), it is applied to that run instead of the conflict policy.
     */
    public StartWorkflowExecutionResponse start(String namespaceId, StartWorkflowExecutionRequest request, io.tempora.common.rpc.ParentInfo parent,
                                                java.util.function.Consumer<MutableState> beforeFirstTask,
                                                java.util.function.Function<WorkflowKey, Boolean> onRunning) {
        String requestId = request.getRequestId().isEmpty() ? UUID.randomUUID().toString() : request.getRequestId();
        for (int attempt = 0; ; attempt++) {
            if (attempt > MAX_START_ATTEMPTS) {
                throw ServiceErrors.unavailable("concurrent start of workflow " + request.getWorkflowId() + ", please retry");
            }
            Optional<CurrentExecution> current = workflows.current(namespaceId, request.getWorkflowId());
            WorkflowWrite.CurrentMode mode = WorkflowWrite.CurrentMode.BRAND_NEW;
            String previousRunId = null;
            if (current.isPresent()) {
                CurrentExecution c = current.get();
                if (c.running() && onRunning != null
                        && conflictPolicy(request) != WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING
                        && conflictPolicy(request) != WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL) {
                    if (onRunning.apply(new WorkflowKey(namespaceId, request.getWorkflowId(), c.runId()))) {
                        return StartWorkflowExecutionResponse.newBuilder().setRunId(c.runId()).setStarted(false)
                                .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).build();
                    }
                    continue; // it closed meanwhile: start a new run
                }
                if (c.createRequestId().equals(requestId)) {
                    return StartWorkflowExecutionResponse.newBuilder().setRunId(c.runId()).setStarted(true)
                            .setStatus(WorkflowExecutionStatus.forNumber(c.status())).build();
                }
                if (c.running()) {
                    switch (conflictPolicy(request)) {
                        case WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING -> {
                            return StartWorkflowExecutionResponse.newBuilder().setRunId(c.runId()).setStarted(false)
                                    .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).build();
                        }
                        case WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING -> {
                            String newRunId = UUID.randomUUID().toString();
                            terminate.terminateIfRunning(new WorkflowKey(namespaceId, request.getWorkflowId(), c.runId()),
                                    "TerminateIfRunning WorkflowIdReusePolicy", "terminated by new runID: " + newRunId, io.tempora.history.workflow.ServerIdentity.HISTORY_SERVICE);
                        }
                        default -> throw ServiceErrors.workflowAlreadyStarted(
                                "Workflow execution is already running. WorkflowId: " + request.getWorkflowId() + ", RunId: " + c.runId() + ".",
                                c.createRequestId(), c.runId());
                    }
                } else {
                    checkReusePolicy(request, c);
                }
                mode = WorkflowWrite.CurrentMode.REPLACE;
                previousRunId = c.runId();
            }
            try {
                String runId = create(namespaceId, request, requestId, mode, previousRunId, parent, beforeFirstTask);
                return StartWorkflowExecutionResponse.newBuilder().setRunId(runId).setStarted(true)
                        .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).build();
            } catch (io.tempora.persistence.ShardOwnershipLostException e) {
                throw e;
            } catch (io.tempora.persistence.ConditionFailedException e) {
                // Another start won the race (a backend may only tell by its unique key): evaluate the policies again
                // against the new current run.
            }
        }
    }

    private static WorkflowIdConflictPolicy conflictPolicy(StartWorkflowExecutionRequest request) {
        if (request.getWorkflowIdReusePolicy() == WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING) {
            return WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING;
        }
        return request.getWorkflowIdConflictPolicy();
    }

    private static void checkReusePolicy(StartWorkflowExecutionRequest request, CurrentExecution c) {
        String id = request.getWorkflowId();
        switch (request.getWorkflowIdReusePolicy()) {
            case WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY -> {
                WorkflowExecutionStatus s = WorkflowExecutionStatus.forNumber(c.status());
                boolean failed = s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED
                        || s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED
                        || s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED
                        || s == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT;
                if (!failed) {
                    throw ServiceErrors.workflowAlreadyStarted("Workflow execution already finished successfully. WorkflowId: " + id
                            + ", RunId: " + c.runId() + ". Workflow Id reuse policy: allow duplicate workflow Id if last run failed.",
                            c.createRequestId(), c.runId());
                }
            }
            case WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE -> throw ServiceErrors.workflowAlreadyStarted(
                    "Workflow execution already finished. WorkflowId: " + id + ", RunId: " + c.runId()
                            + ". Workflow Id reuse policy: reject duplicate workflow Id.", c.createRequestId(), c.runId());
            default -> {
                // allow duplicate
            }
        }
    }

    private String create(String namespaceId, StartWorkflowExecutionRequest request, String requestId,
                          WorkflowWrite.CurrentMode mode, String previousRunId, io.tempora.common.rpc.ParentInfo parent,
                          java.util.function.Consumer<MutableState> beforeFirstTask) {
        String runId = UUID.randomUUID().toString();
        WorkflowKey key = new WorkflowKey(namespaceId, request.getWorkflowId(), runId);
        long now = System.currentTimeMillis();
        MutableState ms = MutableState.create(key, now);
        WorkflowExecutionStartedEventAttributes attrs = startedAttributes(request, runId, now);
        if (parent != null) {
            attrs = attrs.toBuilder()
                    .setParentWorkflowNamespaceId(parent.namespaceId())
                    .setParentWorkflowNamespace(parent.namespace())
                    .setParentWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(parent.workflowId()).setRunId(parent.runId()))
                    .setParentInitiatedEventId(parent.initiatedEventId())
                    .setRootWorkflowExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(parent.rootWorkflowId()).setRunId(parent.rootRunId()))
                    .build();
        }
        if (request.hasUserMetadata()) {
            ms.attachUserMetadataToNextEvent(request.getUserMetadata()); // on WorkflowExecutionStarted
        }
        ExecutionStateMachine.start(ms, attrs, requestId, beforeFirstTask);
        workflows.create(ms, mode, previousRunId);
        return runId;
    }

    static WorkflowExecutionStartedEventAttributes startedAttributes(StartWorkflowExecutionRequest r, String runId, long now) {
        long execution = Times.toMillis(r.getWorkflowExecutionTimeout());
        long run = Times.toMillis(r.getWorkflowRunTimeout());
        if (run <= 0 || (execution > 0 && run > execution)) {
            run = execution;
        }
        long task = Times.toMillis(r.getWorkflowTaskTimeout());
        if (task <= 0) {
            task = DEFAULT_TASK_TIMEOUT_MS;
        }
        task = Math.min(task, MAX_TASK_TIMEOUT_MS);
        if (run > 0) {
            task = Math.min(task, run);
        }
        WorkflowExecutionStartedEventAttributes.Builder a = WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(r.getWorkflowType())
                .setTaskQueue(r.getTaskQueue())
                .setWorkflowExecutionTimeout(Times.duration(execution))
                .setWorkflowRunTimeout(Times.duration(run))
                .setWorkflowTaskTimeout(Times.duration(task))
                .setOriginalExecutionRunId(runId)
                .setFirstExecutionRunId(runId)
                .setIdentity(r.getIdentity())
                .setAttempt(1)
                .setCronSchedule(r.getCronSchedule())
                .setWorkflowId(r.getWorkflowId());
        if (execution > 0) {
            a.setWorkflowExecutionExpirationTime(Times.timestamp(now + execution));
        }
        long backoff = Times.toMillis(r.getWorkflowStartDelay());
        if (!r.getCronSchedule().isEmpty()) {
            backoff = io.tempora.common.CronSchedules.nextBackoffMs(r.getCronSchedule(), now);
        }
        if (backoff > 0) {
            a.setFirstWorkflowTaskBackoff(Times.duration(backoff));
        }
        if (r.hasInput()) {
            a.setInput(r.getInput());
        }
        if (r.hasRetryPolicy()) {
            a.setRetryPolicy(io.tempora.history.workflow.RetryPolicies.withDefaults(r.getRetryPolicy()));
        }
        if (r.hasMemo()) {
            a.setMemo(r.getMemo());
        }
        if (r.hasSearchAttributes()) {
            a.setSearchAttributes(r.getSearchAttributes());
        }
        if (r.hasHeader()) {
            a.setHeader(r.getHeader());
        }
        if (r.hasPriority()) {
            a.setPriority(r.getPriority());
        }
        return a.build();
    }
}
