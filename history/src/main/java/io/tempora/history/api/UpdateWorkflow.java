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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Workflow updates (UpdateWorkflowExecution, PollWorkflowExecutionUpdate) and their protocol messages in
 * workflow tasks. An update is admitted in memory and delivered to the worker as a message on a (speculative)
 * workflow task; the worker rejects it (nothing is written), or accepts and later completes it (events).
 * Admitted updates are not durable: like the official server, a restart loses them and callers retry.
 */
public final class UpdateWorkflow {
    /** An update in flight: admitted, sent to a worker, maybe accepted; completed ones leave the registry. */
    static final class InFlight {
        final Request request;
        final long admittedAt = System.nanoTime();
        final CompletableFuture<Void> accepted = new CompletableFuture<>();
        final CompletableFuture<Outcome> completed = new CompletableFuture<>();

        InFlight(Request request) {
            this.request = request;
        }
    }

    private final Workflows workflows;
    private final Map<WorkflowKey, Map<String, InFlight>> registry = new ConcurrentHashMap<>();

    public UpdateWorkflow(Workflows workflows) {
        this.workflows = workflows;
    }

    public UpdateWorkflowExecutionResponse update(String namespaceId, UpdateWorkflowExecutionRequest request, long deadlineMs) {
        WorkflowKey key = workflows.resolve(namespaceId, request.getWorkflowExecution().getWorkflowId(), request.getWorkflowExecution().getRunId());
        String updateId = request.getRequest().getMeta().getUpdateId();
        UpdateRef ref = UpdateRef.newBuilder().setUpdateId(updateId)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId())).build();
        Object found = workflows.update(key, ms -> {
            if (!request.getFirstExecutionRunId().isEmpty() && !request.getFirstExecutionRunId().equals(ms.execution().getFirstExecutionRunId())) {
                throw ServiceErrors.notFound("workflow execution not found for the given first execution run id");
            }
            UpdateInfo done = ms.record().getUpdatesOrDefault(updateId, null);
            if (done != null) {
                return done; // dedupe: already accepted (maybe completed)
            }
            if (!ms.isRunning()) {
                throw ServiceErrors.workflowCompleted();
            }
            InFlight existing = inFlight(key).get(updateId);
            if (existing != null) {
                return existing;
            }
            InFlight admitted = new InFlight(request.getRequest());
            inFlight(key).put(updateId, admitted);
            WorkflowTaskStateMachine.scheduleSpeculativeIfNone(ms);
            return admitted;
        });
        UpdateWorkflowExecutionLifecycleStage wanted = request.getWaitPolicy().getLifecycleStage();
        return waitFor(key, ref, found, wanted, deadlineMs);
    }

    public PollWorkflowExecutionUpdateResponse poll(String namespaceId, PollWorkflowExecutionUpdateRequest request, long deadlineMs) {
        UpdateRef in = request.getUpdateRef();
        WorkflowKey key = workflows.resolve(namespaceId, in.getWorkflowExecution().getWorkflowId(), in.getWorkflowExecution().getRunId());
        UpdateRef ref = in.toBuilder().setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(key.workflowId()).setRunId(key.runId())).build();
        MutableStateRecord state = workflows.get(key);
        Object found = state.getUpdatesOrDefault(in.getUpdateId(), null);
        if (found == null) {
            found = registry.getOrDefault(key, Map.of()).get(in.getUpdateId());
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

    private UpdateWorkflowExecutionResponse waitFor(WorkflowKey key, UpdateRef ref, Object found,
                                                    UpdateWorkflowExecutionLifecycleStage wanted, long deadlineMs) {
        UpdateWorkflowExecutionResponse.Builder r = UpdateWorkflowExecutionResponse.newBuilder().setUpdateRef(ref);
        boolean needCompletion = wanted == UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED;
        if (found instanceof UpdateInfo info) {
            if (info.getCompletedEventId() > 0) {
                return r.setStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED)
                        .setOutcome(outcomeOf(key, info.getCompletedEventId())).build();
            }
            InFlight live = registry.getOrDefault(key, Map.of()).get(info.getUpdateId());
            if (!needCompletion || live == null) {
                return r.setStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED).build();
            }
            found = live;
        }
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
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof io.grpc.StatusRuntimeException sre) {
                throw sre;
            }
            throw ServiceErrors.internal("update failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ServiceErrors.unavailable("interrupted");
        }
    }

    private Outcome outcomeOf(WorkflowKey key, long completedEventId) {
        List<HistoryEvent> events = workflows.readHistory(key, completedEventId, completedEventId + 1);
        return events.getFirst().getWorkflowExecutionUpdateCompletedEventAttributes().getOutcome();
    }

    /** Forgets a finished update, and the run's map once it is empty. */
    private void remove(WorkflowKey key, String updateId) {
        registry.computeIfPresent(key, (k, updates) -> {
            updates.remove(updateId);
            return updates.isEmpty() ? null : updates;
        });
    }

    private Map<String, InFlight> inFlight(WorkflowKey key) {
        return registry.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
    }

    /** The request messages for a workflow task that starts now: every update not accepted yet, oldest first. */
    public List<Message> requestMessages(WorkflowKey key, long startedEventId) {
        Map<String, InFlight> updates = registry.get(key);
        if (updates == null || updates.isEmpty()) {
            return List.of();
        }
        List<InFlight> pending = new ArrayList<>(updates.values().stream().filter(u -> !u.accepted.isDone()).toList());
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
        try {
            if (body.is(Acceptance.class)) {
                Acceptance a = body.unpack(Acceptance.class);
                String id = message.getProtocolInstanceId();
                if (ms.record().containsUpdates(id)) {
                    return false;
                }
                ms.addEvent(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, e -> e.setWorkflowExecutionUpdateAcceptedEventAttributes(
                        WorkflowExecutionUpdateAcceptedEventAttributes.newBuilder()
                                .setProtocolInstanceId(id)
                                .setAcceptedRequestMessageId(a.getAcceptedRequestMessageId())
                                .setAcceptedRequestSequencingEventId(a.getAcceptedRequestSequencingEventId())
                                .setAcceptedRequest(a.hasAcceptedRequest() ? a.getAcceptedRequest() : requestOf(key, id))));
                InFlight u = registry.getOrDefault(key, Map.of()).get(id);
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
                String id = r.getMeta().getUpdateId().isEmpty() ? message.getProtocolInstanceId() : r.getMeta().getUpdateId();
                var info = ms.record().getUpdatesOrDefault(id, null);
                if (info == null || info.getCompletedEventId() > 0) {
                    throw ServiceErrors.invalidArgument("update " + id + " was not accepted or is already completed");
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
            throw ServiceErrors.invalidArgument("cannot decode protocol message " + message.getId());
        }
        throw ServiceErrors.invalidArgument("unsupported protocol message body " + body.getTypeUrl());
    }

    private Request requestOf(WorkflowKey key, String updateId) {
        InFlight u = registry.getOrDefault(key, Map.of()).get(updateId);
        return u == null ? Request.getDefaultInstance() : u.request;
    }

    /** The run closed: updates still in flight cannot complete any more. */
    public void abortAll(WorkflowKey key) {
        Map<String, InFlight> updates = registry.remove(key);
        if (updates != null) {
            updates.values().forEach(u -> u.completed.completeExceptionally(ServiceErrors.workflowCompleted()));
            updates.values().forEach(u -> u.accepted.completeExceptionally(ServiceErrors.workflowCompleted()));
        }
    }

    /** True when an update is waiting for a worker, apart from those answered just now. */
    public boolean hasPendingUpdatesOtherThan(WorkflowKey key, java.util.Set<String> answered) {
        Map<String, InFlight> updates = registry.get(key);
        return updates != null && updates.entrySet().stream()
                .anyMatch(e -> !e.getValue().accepted.isDone() && !answered.contains(e.getKey()));
    }
}
