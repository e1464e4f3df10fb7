package io.tempora.history.api;

import io.tempora.common.rpc.ActivityRef;

import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.history.workflow.ActivityStateMachine;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.failure.v1.Failure;
import java.util.function.BiConsumer;

/**
 * Results reported by activity workers: completed, failed, canceled, heartbeat. Each finds the activity by
 * task token (scheduled event id + attempt) or, for the ById forms, by workflow id, run id and activity id.
 */
public final class ActivityTaskResponses {
    private static final String NOT_FOUND = "invalid activityID or activity already timed out or invoking workflow is completed";

    private final Workflows workflows;

    public ActivityTaskResponses(Workflows workflows) {
        this.workflows = workflows;
    }

    public void completed(ActivityRef ref, Payloads result, String identity) {
        onStartedActivity(ref, (ms, ai) -> ActivityStateMachine.complete(ms, ai, result, identity));
    }

    public void failed(ActivityRef ref, Failure failure, Payloads lastHeartbeat, String identity) {
        onStartedActivity(ref, (ms, ai) -> ActivityStateMachine.fail(ms, ai, failure, lastHeartbeat, identity));
    }

    public void canceled(ActivityRef ref, Payloads details, String identity) {
        onStartedActivity(ref, (ms, ai) -> {
            if (!ai.getCancelRequested()) {
                throw ServiceErrors.invalidArgument("unable to mark activity as canceled without activity being request canceled first");
            }
            ActivityStateMachine.canceled(ms, ai, details, identity, true);
        });
    }

    /** Records progress; returns whether cancellation was requested. */
    public boolean heartbeat(ActivityRef ref, Payloads details) {
        boolean[] cancelRequested = new boolean[1];
        onStartedActivity(ref, (ms, ai) -> {
            ActivityStateMachine.heartbeat(ms, ai, details);
            cancelRequested[0] = ai.getCancelRequested();
        });
        return cancelRequested[0];
    }

    private void onStartedActivity(ActivityRef ref, BiConsumer<MutableState, ActivityInfo> action) {
        WorkflowKey key = workflows.resolve(ref.namespaceId(), ref.workflowId(), ref.runId());
        workflows.update(key, ms -> {
            if (!ms.isRunning()) {
                throw ServiceErrors.workflowCompleted();
            }
            ActivityInfo ai;
            if (ref.scheduledEventId() > 0) {
                ai = ms.activity(ref.scheduledEventId());
                if (ai == null || ai.getAttempt() != ref.attempt()) {
                    throw ServiceErrors.notFound(NOT_FOUND);
                }
            } else {
                if (ref.activityId().isEmpty()) {
                    throw ServiceErrors.invalidArgument("activityID cannot be empty");
                }
                ai = ms.activityById(ref.activityId());
                if (ai == null) {
                    throw ServiceErrors.notFound("cannot find pending activity with ActivityID " + ref.activityId()
                            + ", check workflow execution history for more details");
                }
            }
            if (ai.getStartedTimeMs() == 0) {
                throw ServiceErrors.notFound(NOT_FOUND);
            }
            action.accept(ms, ai);
            return null;
        });
    }
}
