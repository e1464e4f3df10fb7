package io.tempora.frontend;

import io.tempora.common.Limits;
import io.tempora.common.ServiceErrors;
import io.tempora.common.Times;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.searchattribute.CustomSearchAttributes;
import io.tempora.common.searchattribute.SearchAttributeValidator;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.RetryPolicy;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;

/** Request checks shared by the API handlers, with the official server's messages (INVALID_ARGUMENT). */
final class RequestValidator {
    private final Limits limits;
    private final SearchAttributeValidator searchAttributes;

    RequestValidator(Limits limits) {
        this.limits = limits;
        this.searchAttributes = SearchAttributeValidator.of(limits);
    }

    /** Search attributes of a start, checked against the namespace's registered ones and typed (INVALID_ARGUMENT otherwise). */
    SearchAttributes searchAttributes(NamespaceRecord ns, SearchAttributes attributes) {
        try {
            return searchAttributes.validate(attributes, ns.getName(), CustomSearchAttributes.of(ns));
        } catch (SearchAttributeValidator.InvalidSearchAttributesException e) {
            throw ServiceErrors.invalidArgument(e.getMessage());
        }
    }

    void workflowId(String workflowId) {
        if (workflowId.isEmpty()) {
            throw ServiceErrors.invalidArgument("WorkflowId is not set on request.");
        }
        if (limits.idTooLong(workflowId)) {
            throw ServiceErrors.invalidArgument("WorkflowId length exceeds limit.");
        }
    }

    void taskQueue(TaskQueue queue, boolean present) {
        if (!present) {
            throw ServiceErrors.invalidArgument("taskQueue is not set");
        }
        taskQueueName(queue.getName());
    }

    void taskQueueName(String name) {
        io.tempora.common.TaskQueueNames.problem(name, limits.maxIdLength()).ifPresent(p -> {
            throw ServiceErrors.invalidArgument(p);
        });
    }

    void identity(String identity) {
        if (limits.idTooLong(identity)) {
            throw ServiceErrors.invalidArgument("Identity length exceeds limit.");
        }
    }

    void blob(int size) {
        if (size > limits.blobSizeLimitError()) {
            throw ServiceErrors.invalidArgument("Blob data size exceeds limit.");
        }
    }

    void start(StartWorkflowExecutionRequest r) {
        workflowId(r.getWorkflowId());
        if (r.hasRetryPolicy()) {
            retryPolicy(r.getRetryPolicy());
        }
        if (r.getWorkflowType().getName().isEmpty()) {
            throw ServiceErrors.invalidArgument("WorkflowType is not set on request.");
        }
        if (limits.idTooLong(r.getWorkflowType().getName())) {
            throw ServiceErrors.invalidArgument("WorkflowType length exceeds limit.");
        }
        taskQueue(r.getTaskQueue(), r.hasTaskQueue());
        timeout(r.getWorkflowExecutionTimeout(), "WorkflowExecutionTimeoutSeconds");
        timeout(r.getWorkflowRunTimeout(), "WorkflowRunTimeoutSeconds");
        timeout(r.getWorkflowTaskTimeout(), "WorkflowTaskTimeoutSeconds");
        if (limits.idTooLong(r.getRequestId())) {
            throw ServiceErrors.invalidArgument("RequestId length exceeds limit.");
        }
        identity(r.getIdentity());
        if (!r.getCronSchedule().isEmpty()) {
            String error = io.tempora.common.CronSchedules.validate(r.getCronSchedule());
            if (error != null) {
                throw ServiceErrors.invalidArgument(error);
            }
        }
        timeout(r.getWorkflowStartDelay(), "WorkflowStartDelay");
        if (!r.getCronSchedule().isEmpty() && Times.toMillis(r.getWorkflowStartDelay()) > 0) {
            throw ServiceErrors.invalidArgument("CronSchedule and WorkflowStartDelay may not be used together.");
        }
        blob(r.getInput().getSerializedSize());
        if (r.getMemo().getSerializedSize() > limits.blobSizeLimitError()) {
            throw ServiceErrors.invalidArgument("Memo size exceeds limit.");
        }
        blob(r.getHeader().getSerializedSize());
        blob(r.getSearchAttributes().getSerializedSize());
        idPolicies(r.getWorkflowIdReusePolicy(), r.getWorkflowIdConflictPolicy());
    }

    /** Reuse and conflict policies that contradict each other, refused with the official messages. */
    private static void idPolicies(WorkflowIdReusePolicy reuse, WorkflowIdConflictPolicy conflict) {
        if (conflict != WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED
                && reuse == WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING) {
            throw ServiceErrors.invalidArgument("Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING"
                    + " cannot be used together with a WorkflowIDConflictPolicy");
        }
        if (conflict == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING
                && reuse == WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
            throw ServiceErrors.invalidArgument("Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE"
                    + " cannot be used together with WorkflowIdConflictPolicy WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING");
        }
    }

    void signal(String name, io.temporal.api.common.v1.Payloads input, String identity, String requestId) {
        if (name.isEmpty()) {
            throw ServiceErrors.invalidArgument("SignalName is not set on request.");
        }
        if (limits.idTooLong(name)) {
            throw ServiceErrors.invalidArgument("SignalName length exceeds limit.");
        }
        if (limits.idTooLong(requestId)) {
            throw ServiceErrors.invalidArgument("RequestId length exceeds limit.");
        }
        identity(identity);
        blob(input.getSerializedSize());
    }

    void signalWithStart(io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionRequest r) {
        start(StartWorkflowExecutionRequest.newBuilder()
                .setWorkflowId(r.getWorkflowId()).setWorkflowType(r.getWorkflowType()).setTaskQueue(r.getTaskQueue())
                .setWorkflowExecutionTimeout(r.getWorkflowExecutionTimeout()).setWorkflowRunTimeout(r.getWorkflowRunTimeout())
                .setWorkflowTaskTimeout(r.getWorkflowTaskTimeout()).setRequestId(r.getRequestId()).setIdentity(r.getIdentity())
                .setCronSchedule(r.getCronSchedule()).setInput(r.getInput()).setMemo(r.getMemo()).setHeader(r.getHeader())
                .setSearchAttributes(r.getSearchAttributes()).setRetryPolicy(r.getRetryPolicy())
                .setWorkflowStartDelay(r.getWorkflowStartDelay())
                .setWorkflowIdReusePolicy(r.getWorkflowIdReusePolicy()).setWorkflowIdConflictPolicy(r.getWorkflowIdConflictPolicy()).build());
        if (r.getWorkflowIdConflictPolicy() == WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL) {
            // Signal-with-required-start does not exist.
            throw ServiceErrors.invalidArgument("Invalid WorkflowIDConflictPolicy: WORKFLOW_ID_CONFLICT_POLICY_FAIL is not supported for this operation.");
        }
        signal(r.getSignalName(), r.getSignalInput(), r.getIdentity(), "");
    }

    void update(io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest r) {
        workflowId(r.getWorkflowExecution().getWorkflowId());
        if (r.getRequest().getMeta().getUpdateId().isEmpty()) {
            throw ServiceErrors.invalidArgument("Update ID is not set on request.");
        }
        if (r.getRequest().getInput().getName().isEmpty()) {
            throw ServiceErrors.invalidArgument("Update name is not set on request.");
        }
        blob(r.getRequest().getInput().getArgs().getSerializedSize());
    }

    /** The start operation of update-with-start: a start, minus what cannot go with an update. */
    void startWithUpdate(String namespace, StartWorkflowExecutionRequest r) {
        sameNamespace(namespace, r.getNamespace());
        start(r);
        if (!r.getCronSchedule().isEmpty()) {
            throw ServiceErrors.invalidArgument("CronSchedule is not allowed.");
        }
        if (r.getRequestEagerExecution()) {
            throw ServiceErrors.invalidArgument("RequestEagerExecution is not supported.");
        }
        if (Times.toMillis(r.getWorkflowStartDelay()) > 0) {
            throw ServiceErrors.invalidArgument("WorkflowStartDelay is not supported.");
        }
    }

    /** The update operation of update-with-start: it targets the workflow being started. */
    void updateWithStart(String namespace, StartWorkflowExecutionRequest start,
                         io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest r) {
        sameNamespace(namespace, r.getNamespace());
        if (!r.getWorkflowExecution().getWorkflowId().equals(start.getWorkflowId())) {
            throw ServiceErrors.invalidArgument("WorkflowId is not consistent with previous operation(s).");
        }
        if (!r.getWorkflowExecution().getRunId().isEmpty()) {
            throw ServiceErrors.invalidArgument("RunId is not allowed.");
        }
        if (!r.getFirstExecutionRunId().isEmpty()) {
            throw ServiceErrors.invalidArgument("FirstExecutionRunId is not allowed.");
        }
        update(r);
    }

    private static void sameNamespace(String namespace, String operationNamespace) {
        if (!operationNamespace.isEmpty() && !operationNamespace.equals(namespace)) {
            throw ServiceErrors.invalidArgument("Operation namespace did not match request's namespace.");
        }
    }

    private static void timeout(com.google.protobuf.Duration d, String name) {
        Times.invalidReason(d).ifPresent(reason -> {
            throw ServiceErrors.invalidArgument("An invalid " + name + " is set on request. cause: " + reason);
        });
    }

    static void retryPolicy(RetryPolicy p) {
        if (p.getBackoffCoefficient() != 0 && p.getBackoffCoefficient() < 1) {
            throw ServiceErrors.invalidArgument("BackoffCoefficient cannot be less than 1 on retry policy.");
        }
        if (Times.isNegative(p.getInitialInterval())) {
            throw ServiceErrors.invalidArgument("InitialInterval cannot be negative on retry policy.");
        }
        if (Times.isNegative(p.getMaximumInterval())) {
            throw ServiceErrors.invalidArgument("MaximumInterval cannot be negative on retry policy.");
        }
        long max = Times.toMillis(p.getMaximumInterval());
        if (max > 0 && max < Times.toMillis(p.getInitialInterval())) {
            throw ServiceErrors.invalidArgument("MaximumInterval cannot be less than InitialInterval on retry policy.");
        }
        if (p.getMaximumAttempts() < 0) {
            throw ServiceErrors.invalidArgument("MaximumAttempts cannot be negative on retry policy.");
        }
    }
}
