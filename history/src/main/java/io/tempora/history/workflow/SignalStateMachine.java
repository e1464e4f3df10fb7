package io.tempora.history.workflow;

import io.temporal.api.common.v1.Header;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.WorkflowExecutionCancelRequestedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionSignaledEventAttributes;

/** Messages from outside that the workflow sees as events: signals and cancellation requests. */
public final class SignalStateMachine {
    /** Request ids remembered for dedupe; older ones are dropped (the official server keeps them all). */
    private static final int MAX_REMEMBERED_REQUEST_IDS = 1000;

    private SignalStateMachine() {}

    /** Returns false when a signal with this request id was already applied (nothing is added). */
    public static boolean signal(MutableState ms, String name, Payloads input, String identity, Header header, String requestId) {
        if (!requestId.isEmpty()) {
            if (ms.record().getSignalRequestIdsList().contains(requestId)) {
                return false;
            }
            ms.mutableRecord().addSignalRequestIds(requestId);
            if (ms.record().getSignalRequestIdsCount() > MAX_REMEMBERED_REQUEST_IDS) {
                var kept = ms.record().getSignalRequestIdsList().subList(1, ms.record().getSignalRequestIdsCount());
                var copy = java.util.List.copyOf(kept);
                ms.mutableRecord().clearSignalRequestIds().addAllSignalRequestIds(copy);
            }
        }
        ms.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, e -> {
            WorkflowExecutionSignaledEventAttributes.Builder a = WorkflowExecutionSignaledEventAttributes.newBuilder()
                    .setSignalName(name)
                    .setIdentity(identity);
            if (input != null) {
                a.setInput(input);
            }
            if (header != null) {
                a.setHeader(header);
            }
            e.setWorkflowExecutionSignaledEventAttributes(a);
        });
        WorkflowTaskStateMachine.scheduleIfNone(ms);
        return true;
    }

    /**
     * Records the cancellation request once; a repeated request changes nothing. Unlike a signal it does not wait for
     * a first-task backoff (start delay, retry, cron): the workflow hears of it now, as on the official server.
     */
    public static void requestCancel(MutableState ms, String reason, String identity) {
        if (ms.execution().getCancelRequested()) {
            return;
        }
        ms.addExternalEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED, e -> e.setWorkflowExecutionCancelRequestedEventAttributes(
                WorkflowExecutionCancelRequestedEventAttributes.newBuilder().setCause(reason).setIdentity(identity)));
        WorkflowTaskStateMachine.scheduleIfNoneIgnoringBackoff(ms);
    }
}
