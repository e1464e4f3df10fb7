package io.tempora.history.api;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.UpdateInfo;
import io.tempora.history.workflow.MutableState;
import io.tempora.history.workflow.WorkflowKey;
import io.tempora.history.workflow.WorkflowTaskStateMachine;
import io.tempora.history.workflow.Workflows;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionUpdateAcceptedEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionUpdateCompletedEventAttributes;
import io.temporal.api.protocol.v1.Message;
import io.temporal.api.update.v1.Acceptance;
import io.temporal.api.update.v1.Outcome;
import io.temporal.api.update.v1.Rejection;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.Response;
import io.temporal.api.update.v1.UpdateRef;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowExecutionUpdateResponse;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Workflow updates (UpdateWorkflowExecution, PollWorkflowExecutionUpdate) and their protocol messages in
 * workflow tasks. An update is admitted in memory and delivered to the worker as a message on a (speculative)
 * workflow task; the worker rejects it (nothing is written), or accepts and later completes it (events).
 * Admitted updates are not durable: like the official server, a restart loses them and callers retry. Updates
 * reapplied by reset are admitted through an UpdateAdmitted event instead: the worker reads them from history.
 */
public final class UpdateWorkflow {
    /** An update in flight: admitted, sent to a worker, maybe accepted; completed ones leave the registry. */
    static final class InFlight {
        final Request request;
        /** The request is in history (UpdateAdmitted): the worker sees it there, no message is sent. */
        final boolean inHistory;
        final long admittedAt = System.nanoTime();
        final CompletableFuture<Void> accepted = new CompletableFuture<>();
        final CompletableFuture<Outcome> completed = new CompletableFuture<>();

        InFlight(Request request, boolean inHistory) {
            this.request = request;
            this.inHistory = inHistory;
        }
    }

    private static final String ACCEPTED_UPDATE_COMPLETED_WORKFLOW = "AcceptedUpdateCompletedWorkflow";

    private final Workflows workflows;
    private final io.tempora.common.Limits.Updates limits;
    private final Map<WorkflowKey, Map<String, InFlight>> registry = new ConcurrentHashMap<>();

    public UpdateWorkflow(Workflows workflows, io.tempora.common.Limits.Updates limits) {
        this.workflows = workflows;
        this.limits = limits;
    }

    /**
     * The official limits on a run's updates, checked for a new update id: in flight (admitted or accepted, not yet
     * completed) and in total (also those completed after acceptance).
     */
    private void checkLimits(MutableState ms, String updateId) {
        Map<String, InFlight> inFlight = registry.getOrDefault(ms.key(), Map.of());
        if (inFlight.containsKey(updateId)) {
            return;
        }
        if (limits.maxInFlight() > 0 && inFlight.size() >= limits.maxInFlight()) {
            throw ServiceErrors.resourceExhausted(io.temporal.api.enums.v1.ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_CONCURRENT_LIMIT,
                    io.temporal.api.enums.v1.ResourceExhaustedScope.RESOURCE_EXHAUSTED_SCOPE_NAMESPACE,
                    "limit on number of concurrent in-flight updates has been reached (" + limits.maxInFlight() + ")");
        }
        if (limits.maxTotal() > 0 && inFlight.size() + completedCount(ms) >= limits.maxTotal()) {
            throw ServiceErrors.failedPrecondition("The limit on the total number of distinct updates in this workflow has been reached ("
                    + limits.maxTotal() + "). Make sure any duplicate updates share an Update ID so the server can deduplicate them, and"
                    + " consider rejecting updates that you aren't going to process. You can also Continue-as-New to avoid this; we"
                    + " recommend you check Continue-as-New Suggested in your Workflow.");
        }
    }

    private static long completedCount(MutableState ms) {
        return ms.record().getUpdatesMap().values().stream().filter(u -> u.getAcceptedEventId() > 0 && u.getCompletedEventId() > 0).count();
    }

    /** Near the total limit (90 %, as the official server), the run is told to continue as new. */
    boolean suggestContinueAsNew(MutableState ms) {
        if (limits.maxTotal() <= 0) {
            return false;
        }
        long used = registry.getOrDefault(ms.key(), Map.of()).size() + completedCount(ms);
        return used >= Math.ceil(limits.maxTotal() * 0.9);
    }

    public UpdateWorkflowExecutionResponse update(String namespaceId, UpdateWorkflowExecutionRequest request, long deadlineMs) {
        WorkflowKey key = workflows.resolve(namespaceId, request.getWorkflowExecution().getWorkflowId(), request.getWorkflowExecution().getRunId());
        return update(key, request, deadlineMs);
    }

    /** Admits the update to the given run and waits for the stage the request asks for. */
    UpdateWorkflowExecutionResponse update(WorkflowKey key, UpdateWorkflowExecutionRequest request, long deadlineMs) {
        String updateId = request.getRequest().getMeta().getUpdateId();
        Object found = workflows.update(key, ms -> {
            Workflows.checkFirstExecutionRunId(ms, request.getFirstExecutionRunId());
            UpdateInfo done = ms.record().getUpdatesOrDefault(updateId, null);
            if (done != null && (done.getAcceptedEventId() > 0 || !ms.isRunning())) {
                return done; // dedupe: already accepted (maybe completed)
            }
            if (!ms.isRunning()) {
                throw ServiceErrors.workflowCompleted();
            }
            if (done != null && done.getAdmittedEventId() > ms.execution().getLastCompletedWftStartedEventId()) {
                // Admitted through history (reset reapply), not seen by a worker yet: it answers when it reads the event.
                return admitIfAbsent(key, new InFlight(request.getRequest(), true));
            }
            // New, or admitted in history and rejected since (that leaves no trace): the worker gets a message.
            checkLimits(ms, updateId);
            InFlight u = admitIfAbsent(key, new InFlight(request.getRequest(), false));
            if (!u.inHistory) {
                WorkflowTaskStateMachine.scheduleSpeculativeIfNone(ms);
            }
            return u;
        });
        return waitFor(key, ref(key, updateId), found, request.getWaitPolicy().getLifecycleStage(), deadlineMs);
    }

    /** The workflow's current run, if it has one. */
    Optional<io.tempora.persistence.CurrentExecution> currentRun(String namespaceId, String workflowId) {
        return workflows.current(namespaceId, workflowId);
    }

    /**
     * True when the run has the update as the official update-with-start looks for it: completed (also in a closed
     * run), or in flight or accepted in a running one.
     */
    boolean knows(WorkflowKey key, String updateId) {
        return workflows.find(key).map(r -> {
            UpdateInfo u = r.getUpdatesOrDefault(updateId, null);
            if (u != null && u.getCompletedEventId() > 0) {
                return true;
            }
            return running(r) && (registry.getOrDefault(key, Map.of()).containsKey(updateId) || (u != null && u.getAcceptedEventId() > 0));
        }).orElse(false);
    }

    /** Registers an update for a run that is being created (update-with-start): its first workflow task carries it. */
    InFlight admit(WorkflowKey key, Request request) {
        return admitIfAbsent(key, new InFlight(request, false));
    }

    /**
     * Adds the update to the run's registry unless one with its id is there; returns the registered one. Atomic with
     * respect to {@link #remove}, which runs after commits, outside the run's lock.
     */
    private InFlight admitIfAbsent(WorkflowKey key, InFlight update) {
        String id = update.request.getMeta().getUpdateId();
        InFlight[] registered = new InFlight[1];
        registry.compute(key, (k, updates) -> {
            Map<String, InFlight> m = updates == null ? new ConcurrentHashMap<>() : updates;
            registered[0] = m.computeIfAbsent(id, x -> update);
            return m;
        });
        return registered[0];
    }

    /** Forgets what {@link #admit} registered for a run that was not created after all. */
    void forgetRun(WorkflowKey key) {
        registry.remove(key);
    }

    static UpdateRef ref(WorkflowKey key, String updateId) {
        return UpdateRef.newBuilder().setUpdateId(updateId)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId())).build();
    }

    public PollWorkflowExecutionUpdateResponse poll(String namespaceId, PollWorkflowExecutionUpdateRequest request, long deadlineMs) {
        UpdateRef in = request.getUpdateRef();
        WorkflowKey key = workflows.resolve(namespaceId, in.getWorkflowExecution().getWorkflowId(), in.getWorkflowExecution().getRunId());
        UpdateRef ref = ref(key, in.getUpdateId());
        Object found = registry.getOrDefault(key, Map.of()).get(in.getUpdateId());
        if (found == null) {
            found = workflows.get(key).getUpdatesOrDefault(in.getUpdateId(), null);
        }
        if (found == null) {
            throw ServiceErrors.notFound("update " + in.getUpdateId() + " not found");
        }
        UpdateWorkflowExecutionResponse r = waitFor(key, ref, found, request.getWaitPolicy().getLifecycleStage(), deadlineMs);
        PollWorkflowExecutionUpdateResponse.Builder b = PollWorkflowExecutionUpdateResponse.newBuilder().setStage(r.getStage()).setUpdateRef(ref);
        if (r.hasOutcome()) {
            b.setOutcome(r.getOutcome());
        }
        return b.build();
    }

    /** Waits until the update reaches {@code wanted} or the deadline passes; answers with the stage it reached. */
    UpdateWorkflowExecutionResponse waitFor(WorkflowKey key, UpdateRef ref, Object found,
                                            UpdateWorkflowExecutionLifecycleStage wanted, long deadlineMs) {
        if (found instanceof UpdateInfo info) {
            InFlight live = registry.getOrDefault(key, Map.of()).get(info.getUpdateId());
            if (live == null || info.getCompletedEventId() > 0) {
                return waitForRecorded(key, ref, info.getUpdateId(), wanted, deadlineMs);
            }
            found = live;
        }
        UpdateWorkflowExecutionResponse.Builder r = UpdateWorkflowExecutionResponse.newBuilder().setUpdateRef(ref);
        boolean needCompletion = wanted == UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
        InFlight u = (InFlight) found;
        long wait = Math.max(0, deadlineMs - System.currentTimeMillis());
        try {
            if (needCompletion) {
                Outcome outcome = u.completed.get(wait, TimeUnit.MILLISECONDS);
                return r.setStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED).setOutcome(outcome).build();
            }
            CompletableFuture.anyOf(u.accepted, u.completed).get(wait, TimeUnit.MILLISECONDS);
            if (u.completed.isDone()) {
                return r.setStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED)
                        .setOutcome(u.completed.join()).build();
            }
            return r.setStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED).build();
        } catch (java.util.concurrent.TimeoutException e) {
            // Not there yet: the caller polls again (PollWorkflowExecutionUpdate).
            return r.setStage(u.accepted.isDone() ? UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED
                    : UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED).build();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CompletionException e) {
            // The update was aborted (its run closed): the caller gets the status it was aborted with.
            if (e.getCause() instanceof io.grpc.StatusRuntimeException sre) {
                throw sre;
            }
            throw ServiceErrors.internal("update failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServiceErrors.unavailable("interrupted");
        }
    }

    /** An update known only from the run's state (after a restart, or closed): waits on the state itself. */
    private UpdateWorkflowExecutionResponse waitForRecorded(WorkflowKey key, UpdateRef ref, String updateId,
                                                            UpdateWorkflowExecutionLifecycleStage wanted, long deadlineMs) {
        boolean needCompletion = wanted == UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
        MutableStateRecord state = workflows.awaitState(key, s -> {
            UpdateInfo i = s.getUpdatesOrDefault(updateId, UpdateInfo.getDefaultInstance());
            return i.getCompletedEventId() > 0 || !running(s) || (!needCompletion && i.getAcceptedEventId() > 0);
        }, deadlineMs);
        UpdateInfo info = state.getUpdatesOrDefault(updateId, UpdateInfo.getDefaultInstance());
        UpdateWorkflowExecutionResponse.Builder r = UpdateWorkflowExecutionResponse.newBuilder().setUpdateRef(ref);
        if (info.getCompletedEventId() > 0) {
            return r.setStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED)
                    .setOutcome(outcomeOf(key, info.getCompletedEventId())).build();
        }
        if (!running(state)) {
            if (info.getAcceptedEventId() == 0) {
                throw abortedByClose();
            }
            return r.setStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED)
                    .setOutcome(acceptedUpdateCompletedWorkflow()).build();
        }
        return r.setStage(info.getAcceptedEventId() > 0 ? UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED
                : UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED).build();
    }

    private static boolean running(MutableStateRecord s) {
        return s.getExecution().getStatus() == io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }

    private Outcome outcomeOf(WorkflowKey key, long completedEventId) {
        List<HistoryEvent> events = workflows.readHistory(key, completedEventId, completedEventId + 1);
        return events.getFirst().getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome();
    }

    /** The outcome of an accepted update whose workflow closed before the update completed (as the official server words it). */
    private static Outcome acceptedUpdateCompletedWorkflow() {
        return Outcome.newBuilder().setFailure(io.temporal.api.failure.v1.Failure.newBuilder()
                .setMessage("Workflow Update failed because the Workflow completed before the Update completed.")
                .setApplicationFailureInfo(io.temporal.api.failure.v1.ApplicationFailureInfo.newBuilder()
                        .setType(ACCEPTED_UPDATE_COMPLETED_WORKFLOW).setNonRetryable(true)))
                .build();
    }

    private static io.grpc.StatusRuntimeException abortedByClose() {
        return ServiceErrors.notFound("workflow update was aborted by closing workflow");
    }

    /** Forgets a finished update, and the run's map once it is empty. */
    private void remove(WorkflowKey key, String updateId) {
        registry.computeIfPresent(key, (k, updates) -> {
            updates.remove(updateId);
            return updates.isEmpty() ? null : updates;
        });
    }

    /** The request messages for a workflow task that starts now: every update not accepted yet, oldest first. */
    public List<Message> requestMessages(WorkflowKey key, long startedEventId) {
        Map<String, InFlight> updates = registry.get(key);
        if (updates == null || updates.isEmpty()) {
            return List.of();
        }
        List<InFlight> pending = new ArrayList<>(updates.values().stream().filter(u -> !u.inHistory && !u.accepted.isDone()).toList());
        pending.sort(Comparator.comparingLong(u -> u.admittedAt));
        List<Message> messages = new ArrayList<>();
        for (InFlight u : pending) {
            String id = u.request.getMeta().getUpdateId();
            messages.add(Message.newBuilder()
                    .setId(id + "/request")
                    .setProtocolInstanceId(id)
                    .setEventId(startedEventId - 1)
                    .setBody(Any.pack(u.request))
                    .build());
        }
        return messages;
    }

    /**
     * Applies one message of a completed workflow task. Effects on waiting callers are returned, to be run
     * after the transition commits. Returns true when the message changed history (accept/complete).
     */
    public boolean onMessage(MutableState ms, Message message, long wftCompletedEventId, List<Runnable> afterCommit) {
        WorkflowKey key = ms.key();
        Any body = message.getBody();
        String protocol = ProtocolMessages.protocolOf(message);
        if (!protocol.equals(ProtocolMessages.UPDATE_PROTOCOL)) {
            throw badMessage("unsupported protocol type " + protocol);
        }
        try {
            if (body.is(Acceptance.class)) {
                Acceptance a = body.unpack(Acceptance.class);
                String id = message.getProtocolInstanceId();
                UpdateInfo known = ms.record().getUpdatesOrDefault(id, null);
                if (known != null && known.getAcceptedEventId() > 0) {
                    return false;
                }
                InFlight u = registry.getOrDefault(key, Map.of()).get(id);
                if (known == null && u == null && !a.hasAcceptedRequest()) {
                    throw notFound(id);
                }
                if (a.getAcceptedRequestSequencingEventId() == 0 && known == null && u == null) {
                    throw badMessage("invalid *update.Acceptance: accepted_request_sequencing_event_id is not set");
                }
                // The worker read the request from the UpdateAdmitted event, unless it was sent to it as a message.
                boolean requestInHistory = known != null && known.getAdmittedEventId() > 0 && (u == null || u.inHistory);
                ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, e -> {
                    var accepted = WorkflowExecutionUpdateAcceptedEventAttributes.newBuilder()
                            .setProtocolInstanceId(id)
                            .setAcceptedRequestMessageId(a.getAcceptedRequestMessageId())
                            .setAcceptedRequestSequencingEventId(a.getAcceptedRequestSequencingEventId());
                    if (!requestInHistory) {
                        accepted.setAcceptedRequest(a.hasAcceptedRequest() ? a.getAcceptedRequest() : requestOf(key, id));
                    }
                    e.setWorkflowExecutionUpdateAcceptedEventAttributes(accepted);
                });
                if (u != null) {
                    afterCommit.add(() -> u.accepted.complete(null));
                }
                return true;
            }
            if (body.is(Rejection.class)) {
                Rejection r = body.unpack(Rejection.class);
                String id = message.getProtocolInstanceId();
                InFlight u = registry.getOrDefault(key, Map.of()).get(id);
                if (u != null) {
                    afterCommit.add(() -> {
                        remove(key, id);
                        u.completed.complete(Outcome.newBuilder().setFailure(r.getFailure()).build());
                    });
                }
                return false;
            }
            if (body.is(Response.class)) {
                Response r = body.unpack(Response.class);
                String instance = message.getProtocolInstanceId();
                if (r.getMeta().getUpdateId().isEmpty()) {
                    throw badMessage("invalid *update.Response: meta.update_id is not set");
                }
                if (!r.hasOutcome()) {
                    throw badMessage("invalid *update.Response: outcome is not set");
                }
                if (!instance.isEmpty() && !r.getMeta().getUpdateId().equals(instance)) {
                    throw badMessage("invalid *update.Response: meta.update_id != " + instance);
                }
                String id = r.getMeta().getUpdateId();
                var info = ms.record().getUpdatesOrDefault(id, null);
                if (info == null) {
                    throw notFound(id);
                }
                if (info.getAcceptedEventId() == 0 || info.getCompletedEventId() > 0) {
                    throw badMessage("invalid state transition attempted for Update " + id + ": received *update.Response message while in state "
                            + (info.getCompletedEventId() > 0 ? "Completed" : "Admitted"));
                }
                ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, e -> e.setWorkflowExecutionUpdateCompletedEventAttributes(
                        WorkflowExecutionUpdateCompletedEventAttributes.newBuilder()
                                .setMeta(r.getMeta().toBuilder().setUpdateId(id))
                                .setAcceptedEventId(info.getAcceptedEventId())
                                .setOutcome(r.getOutcome())));
                InFlight u = registry.getOrDefault(key, Map.of()).get(id);
                if (u != null) {
                    afterCommit.add(() -> {
                        remove(key, id);
                        u.accepted.complete(null);
                        u.completed.complete(r.getOutcome());
                    });
                }
                return true;
            }
        } catch (InvalidProtocolBufferException e) {
            throw badMessage("unable to unmarshal request: " + e.getMessage());
        }
        throw badMessage("Message type *update." + ProtocolMessages.nameOf(message).substring(ProtocolMessages.UPDATE_PROTOCOL.length() + 1)
                + " not supported");
    }

    private static io.tempora.history.command.BadCommandException badMessage(String message) {
        return new io.tempora.history.command.BadCommandException(
                io.temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE, message);
    }

    private static io.tempora.history.command.BadCommandException notFound(String updateId) {
        return badMessage("update " + updateId + " wasn't found on the server. This is most likely a transient error which will be resolved"
                + " automatically by retries");
    }

    private Request requestOf(WorkflowKey key, String updateId) {
        InFlight u = registry.getOrDefault(key, Map.of()).get(updateId);
        return u == null ? Request.getDefaultInstance() : u.request;
    }

    /**
     * The run closed (committed): every update still in flight gets its answer as the official server gives it.
     * Completed in the closing transition: its outcome. Accepted: the AcceptedUpdateCompletedWorkflow failure. Not
     * accepted: NOT_FOUND, or RESOURCE_EXHAUSTED (retryable) when the workflow goes on in a new run.
     */
    public void abortAll(WorkflowKey key, MutableState closed) {
        Map<String, InFlight> updates = registry.remove(key);
        if (updates == null) {
            return;
        }
        boolean continues = closed.continuedRun() != null;
        for (Map.Entry<String, InFlight> e : updates.entrySet()) {
            InFlight u = e.getValue();
            UpdateInfo info = closed.record().getUpdatesOrDefault(e.getKey(), UpdateInfo.getDefaultInstance());
            if (info.getCompletedEventId() > 0) {
                u.accepted.complete(null);
                u.completed.complete(completedOutcome(key, closed, info.getCompletedEventId()));
            } else if (info.getAcceptedEventId() > 0) {
                u.accepted.complete(null);
                u.completed.complete(acceptedUpdateCompletedWorkflow());
            } else {
                io.grpc.StatusRuntimeException error = continues ? ServiceErrors.of(com.google.rpc.Code.RESOURCE_EXHAUSTED,
                        "workflow operation can not be applied because workflow is closing",
                        io.temporal.api.errordetails.v1.ResourceExhaustedFailure.newBuilder()
                                .setCause(io.temporal.api.enums.v1.ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_BUSY_WORKFLOW).build())
                        : abortedByClose();
                u.completed.completeExceptionally(error);
                u.accepted.completeExceptionally(error);
            }
        }
    }

    private Outcome completedOutcome(WorkflowKey key, MutableState closed, long completedEventId) {
        for (HistoryEvent event : closed.newEvents()) {
            if (event.getEventId() == completedEventId) {
                return event.getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome();
            }
        }
        return outcomeOf(key, completedEventId);
    }

    /** True when an update is waiting for a worker, apart from those answered just now. */
    public boolean hasPendingUpdatesOtherThan(WorkflowKey key, java.util.Set<String> answered) {
        Map<String, InFlight> updates = registry.get(key);
        return updates != null && updates.entrySet().stream()
                .anyMatch(e -> !e.getValue().inHistory && !e.getValue().accepted.isDone() && !answered.contains(e.getKey()));
    }
}
