package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.tempora.history.workflow.SignalStateMachine;
import io.tempora.history.workflow.RunTarget;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.WorkflowTaskStateMachine;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.SignalWithStartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;

/** SignalWorkflowExecution, SignalWithStartWorkflowExecution and RequestCancelWorkflowExecution. */
public final class SignalWorkflow {
    private final Workflows workflows;
    private final StartWorkflow starter;
    private final int maxSignals;

    public SignalWorkflow(Workflows workflows, StartWorkflow starter, int maxSignals) {
        this.workflows = workflows;
        this.starter = starter;
        this.maxSignals = maxSignals;
    }

    public record Signal(String name, Payloads input, String identity, Header header, String requestId) {}

    public void signal(WorkflowKey key, Signal s) {
        signal(key, s, RunTarget.ANY, false);
    }

    /** A signal that must reach a run {@code target} accepts (a parent's child_workflow_only signal). */
    public void signal(WorkflowKey key, Signal s, RunTarget target) {
        signal(key, s, target, false);
    }

    /**
     * {@code wakeFromBackoff}: signal-with-start found the workflow running, and a run still waiting for its first
     * workflow task (start delay, retry or cron backoff; not a continue-as-new backoff) gets it now, as the official
     * server does it. A plain signal waits for that task.
     */
    private void signal(WorkflowKey key, Signal s, RunTarget target, boolean wakeFromBackoff) {
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                throw ServiceErrors.workflowCompleted();
            }
            target.check(ms);
            apply(ms, s);
            if (wakeFromBackoff && WorkflowTaskStateMachine.pendingOnFirstTaskBackoff(ms) && ms.startEvent().getWorkflowExecutionStartedEventAttributes()
                    .getInitiator() != io.temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW) {
                WorkflowTaskStateMachine.scheduleIfNoneIgnoringBackoff(ms);
            }
            return null;
        });
    }

    private void apply(io.tempora.history.workflow.MutableState ms, Signal s) {
        if (ms.execution().getSignalCount() >= maxSignals) {
            throw ServiceErrors.invalidArgument("exceeded workflow execution limit for signal events");
        }
        SignalStateMachine.signal(ms, s.name(), s.input(), s.identity(), s.header(), s.requestId());
    }

    public SignalWithStartWorkflowExecutionResponse signalWithStart(String namespaceId, SignalWithStartWorkflowExecutionRequest r) {
        Signal s = new Signal(r.getSignalName(), r.hasSignalInput() ? r.getSignalInput() : null, r.getIdentity(),
                r.hasHeader() ? r.getHeader() : null, "");
        StartWorkflowExecutionRequest.Builder start = StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(r.getNamespace())
                .setWorkflowId(r.getWorkflowId())
                .setWorkflowType(r.getWorkflowType())
                .setTaskQueue(r.getTaskQueue())
                .setWorkflowExecutionTimeout(r.getWorkflowExecutionTimeout())
                .setWorkflowRunTimeout(r.getWorkflowRunTimeout())
                .setWorkflowTaskTimeout(r.getWorkflowTaskTimeout())
                .setIdentity(r.getIdentity())
                .setRequestId(r.getRequestId())
                .setWorkflowIdReusePolicy(r.getWorkflowIdReusePolicy())
                .setWorkflowIdConflictPolicy(r.getWorkflowIdConflictPolicy())
                .setCronSchedule(r.getCronSchedule())
                .setWorkflowStartDelay(r.getWorkflowStartDelay());
        if (r.hasInput()) {
            start.setInput(r.getInput());
        }
        if (r.hasRetryPolicy()) {
            start.setRetryPolicy(r.getRetryPolicy());
        }
        if (r.hasMemo()) {
            start.setMemo(r.getMemo());
        }
        if (r.hasSearchAttributes()) {
            start.setSearchAttributes(r.getSearchAttributes());
        }
        if (r.hasHeader()) {
            start.setHeader(r.getHeader());
        }
        if (r.hasUserMetadata()) {
            start.setUserMetadata(r.getUserMetadata());
        }
        if (r.hasPriority()) {
            start.setPriority(r.getPriority());
        }
        StartWorkflowExecutionResponse started = starter.start(namespaceId, start.build(), null, ms -> apply(ms, s), key -> {
            try {
                signal(key, s, RunTarget.ANY, true);
                return true;
            } catch (io.grpc.StatusRuntimeException e) {
                if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                    return false; // closed meanwhile
                }
                throw e;
            }
        });
        return SignalWithStartWorkflowExecutionResponse.newBuilder().setRunId(started.getRunId()).setStarted(started.getStarted()).build();
    }

    public void requestCancel(WorkflowKey key, String reason, String identity) {
        requestCancel(key, reason, identity, RunTarget.ANY);
    }

    /**
     * Records a cancellation request. A run that has already finished makes it a success without effect, as on the
     * official server; the running run must be one {@code target} accepts.
     */
    public void requestCancel(WorkflowKey key, String reason, String identity, RunTarget target) {
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                return null;
            }
            target.check(ms);
            SignalStateMachine.requestCancel(ms, reason, identity);
            return null;
        });
    }
}
