package io.tempora.history.api;

import io.tempora.common.ServiceErrors;
import io.tempora.history.workflow.ExecutionStateMachine;
import io.tempora.history.workflow.RunTarget;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.Payload;
import com.google.protobuf.ByteString;

/** Terminates a running run: buffered events are written, then WorkflowExecutionTerminated. */
public final class TerminateWorkflow {
    private final Workflows workflows;

    public TerminateWorkflow(Workflows workflows) {
        this.workflows = workflows;
    }

    public void terminate(WorkflowKey key, String reason, Payloads details, String identity) {
        terminate(key, reason, details, identity, RunTarget.ANY);
    }

    /** The running run must be one {@code target} accepts. */
    public void terminate(WorkflowKey key, String reason, Payloads details, String identity, RunTarget target) {
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                throw ServiceErrors.workflowCompleted();
            }
            target.check(ms);
            ExecutionStateMachine.terminate(ms, reason, details, identity);
            return null;
        });
    }

    /** Used by the TERMINATE_EXISTING conflict policy: a run that already closed is fine. */
    void terminateIfRunning(WorkflowKey key, String reason, String detail, String identity) {
        Payloads details = Payloads.newBuilder().addPayloads(Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                .setData(ByteString.copyFromUtf8("\"" + detail + "\""))).build();
        workflows.update(key, ms -> {
            if (ms.isRunning()) {
                ExecutionStateMachine.terminate(ms, reason, details, identity);
            }
            return null;
        });
    }
}
