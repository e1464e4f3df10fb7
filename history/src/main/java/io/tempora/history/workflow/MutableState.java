package io.tempora.history.workflow;

import io.tempora.common.Times;
import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.WorkflowTaskInfo;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The working copy of one workflow run's state during a transition. Events are added here: each gets its id
 * and is applied through {@link EventAppliers}, or is buffered while a workflow task is in flight. Outbox
 * tasks created by the transition are collected here and written in the same atomic write.
 */
public final class MutableState {
    private final WorkflowKey key;
    private final MutableStateRecord.Builder state;
    private final long loadedDbVersion;
    /** The execution as loaded, to tell whether a transition changes what visibility shows. */
    private final ExecutionInfo loadedExecution;
    private final long now;
    private final List<HistoryEvent> newEvents = new ArrayList<>();
    private final List<TransferTask.Builder> newTransferTasks = new ArrayList<>();
    private final List<TimerTask.Builder> newTimerTasks = new ArrayList<>();
    private boolean changed;
    private MutableState continuedRun;
    /** User metadata (summary, details) of the command or request being handled: goes on the first event it adds. */
    private io.temporal.api.sdk.v1.UserMetadata pendingUserMetadata;
    private java.util.function.Supplier<HistoryEvent> startEvent = () -> {
        throw new IllegalStateException("start event not available");
    };

    public MutableState(WorkflowKey key, MutableStateRecord record, long now) {
        this.key = key;
        this.state = record.toBuilder();
        this.loadedDbVersion = record.getDbVersion();
        this.loadedExecution = record.getExecution();
        this.now = now;
    }

    /**
     * Whether the transition changes the run's visibility record: a new run, or a changed status, memo or search
     * attributes. Counts and sizes are written with those (so at close), as the official server does.
     */
    public boolean changesVisibility() {
        if (!changed) {
            return false;
        }
        if (loadedDbVersion == 0) {
            return true;
        }
        ExecutionInfo now = state.getExecution();
        return now.getStatus() != loadedExecution.getStatus()
                || !now.getMemo().equals(loadedExecution.getMemo())
                || !now.getSearchAttributes().equals(loadedExecution.getSearchAttributes());
    }

    /** Whether the transition closes the run (completed, failed, timed out, terminated, continued ...). */
    public boolean closesRun() {
        boolean wasRunning = loadedDbVersion == 0
                || loadedExecution.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
        return changed && wasRunning && !isRunning();
    }

    /** The transition commits a visibility task with this id: tasks of the run before it need not write the record. */
    public void recordVisibilityTask(long taskId) {
        state.setLastVisibilityTaskId(taskId);
    }

    /** A brand-new run: nothing but its identity. */
    public static MutableState create(WorkflowKey key, long now) {
        MutableStateRecord record = MutableStateRecord.newBuilder()
                .setExecution(ExecutionInfo.newBuilder()
                        .setNamespaceId(key.namespaceId())
                        .setWorkflowId(key.workflowId())
                        .setRunId(key.runId()))
                .setNextEventId(1)
                .build();
        MutableState ms = new MutableState(key, record, now);
        ms.changed = true;
        ms.startEvent = () -> ms.newEvents.getFirst();
        return ms;
    }

    /**
     * A new run whose history starts with {@code copied} (events of another run, e.g. for reset): its state is
     * rebuilt from them through the appliers, and they are written as the run's first batch.
     */
    public static MutableState fromHistory(WorkflowKey key, List<HistoryEvent> copied, long now) {
        MutableState ms = new MutableState(key, MutableStateRebuilder.rebuild(key, copied), now);
        ms.state.setDbVersion(0);
        ms.newEvents.addAll(copied);
        ms.changed = true;
        ms.startEvent = () -> copied.getFirst();
        return ms;
    }

    public WorkflowKey key() {
        return key;
    }

    public long now() {
        return now;
    }

    /** Read view of the execution (no copy: reading through the builder avoids rebuilding the message). */
    public io.tempora.common.proto.ExecutionInfoOrBuilder execution() {
        return state.getExecutionOrBuilder();
    }

    /** Read view of the whole state. Only event appliers and the named methods of this package change it. */
    public io.tempora.common.proto.MutableStateRecordOrBuilder record() {
        return state;
    }

    /**
     * The state to change, for this package's state machines only: the fields history does not derive (sticky queue,
     * workflow task attempts, signal request ids, create request id, close processing flags), each changed by a named
     * method of the machine that owns it.
     */
    MutableStateRecord.Builder mutableRecord() {
        return state;
    }

    public boolean isRunning() {
        return state.getExecutionOrBuilder().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
    }

    public long nextEventId() {
        return state.getNextEventId();
    }

    public long loadedDbVersion() {
        return loadedDbVersion;
    }

    public boolean hasChanges() {
        return changed;
    }

    /** Marks a change to state outside history (in-flight attempt data, sticky queue): it still needs a write. */
    public void markChanged() {
        changed = true;
    }

    /** The run's WorkflowExecutionStarted event (its input, header), read on demand. */
    public HistoryEvent startEvent() {
        return startEvent.get();
    }

    public void setStartEventSource(java.util.function.Supplier<HistoryEvent> source) {
        this.startEvent = source;
    }

    /** The run this transition starts by continue-as-new, committed together with this one; null if none. */
    public MutableState continuedRun() {
        return continuedRun;
    }

    public void setContinuedRun(MutableState next) {
        this.continuedRun = next;
        changed = true;
    }

    public List<HistoryEvent> newEvents() {
        return newEvents;
    }

    public List<TransferTask.Builder> newTransferTasks() {
        return newTransferTasks;
    }

    public List<TimerTask.Builder> newTimerTasks() {
        return newTimerTasks;
    }

    // ---- workflow task state -------------------------------------------------------------------------

    public boolean hasPendingWorkflowTask() {
        return state.hasWorkflowTask();
    }

    public WorkflowTaskInfo workflowTask() {
        return state.getWorkflowTask();
    }

    public boolean isWorkflowTaskStarted() {
        return state.hasWorkflowTask() && state.getWorkflowTaskOrBuilder().getStartedEventId() > 0;
    }

    /** Attempts after the first are transient: their scheduled/started events are written only on completion. */
    public boolean isWorkflowTaskTransient() {
        return state.hasWorkflowTask() && (state.getWorkflowTaskOrBuilder().getAttempt() > 1 || state.getWorkflowTaskOrBuilder().getSpeculative());
    }

    /** A workflow task scheduled for an update: written to history only if it makes progress. */
    public boolean isWorkflowTaskSpeculative() {
        return state.hasWorkflowTask() && state.getWorkflowTaskOrBuilder().getSpeculative();
    }

    public ActivityInfo activity(long scheduledEventId) {
        return state.getActivitiesOrDefault(scheduledEventId, null);
    }

    public ActivityInfo activityById(String activityId) {
        for (ActivityInfo ai : state.getActivitiesMap().values()) {
            if (ai.getActivityId().equals(activityId)) {
                return ai;
            }
        }
        return null;
    }

    public void putActivity(ActivityInfo ai) {
        state.putActivities(ai.getScheduledEventId(), ai);
        changed = true;
    }

    // ---- events --------------------------------------------------------------------------------------

    /**
     * The next event added carries this user metadata, as the official server writes a command's (or a start
     * request's) metadata on the first event it produces. {@code null} clears it.
     */
    public void attachUserMetadataToNextEvent(io.temporal.api.sdk.v1.UserMetadata metadata) {
        this.pendingUserMetadata = metadata;
    }

    /** Adds an event to history now (never buffered) and applies it. */
    public HistoryEvent addEvent(EventType type, Consumer<HistoryEvent.Builder> attributes) {
        HistoryEvent.Builder b = HistoryEvent.newBuilder()
                .setEventId(state.getNextEventId())
                .setEventTime(Times.timestamp(now))
                .setEventType(type)
                .setTaskId(0);
        attributes.accept(b);
        if (pendingUserMetadata != null) {
            b.setUserMetadata(pendingUserMetadata);
            pendingUserMetadata = null;
        }
        HistoryEvent event = b.build();
        appendAndApply(event);
        return event;
    }

    /**
     * Adds an event caused from outside the workflow (activity result, timer, signal). While a workflow task
     * is in flight it is buffered and written after that task's completion, as the official server does;
     * its effect on state is applied now.
     */
    public long addExternalEvent(EventType type, Consumer<HistoryEvent.Builder> attributes) {
        if (!mustBuffer()) {
            return addEvent(type, attributes).getEventId();
        }
        HistoryEvent.Builder b = HistoryEvent.newBuilder()
                .setEventId(BUFFERED_EVENT_ID)
                .setEventTime(Times.timestamp(now))
                .setEventType(type);
        attributes.accept(b);
        HistoryEvent event = b.build();
        state.addBufferedEvents(event.toByteString());
        EventAppliers.apply(state, event);
        changed = true;
        return BUFFERED_EVENT_ID;
    }

    public static final long BUFFERED_EVENT_ID = -123;

    private boolean mustBuffer() {
        return isWorkflowTaskStarted() || isWorkflowTaskTransient();
    }

    public boolean hasBufferedEvents() {
        return state.getBufferedEventsCount() > 0;
    }

    /** Writes buffered events to history with their ids, fixing references to activity started events. */
    public void flushBufferedEvents() {
        if (!hasBufferedEvents()) {
            return;
        }
        List<HistoryEvent> buffered = new ArrayList<>();
        state.getBufferedEventsList().forEach(bytes -> buffered.add(StateCodec.event(bytes)));
        state.clearBufferedEvents();
        java.util.Map<Long, Long> startedIds = new java.util.HashMap<>();
        for (HistoryEvent e : buffered) {
            HistoryEvent.Builder b = e.toBuilder().setEventId(state.getNextEventId());
            if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
                startedIds.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), b.getEventId());
            }
            if (e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
                long initiated = e.getChildWorkflowExecutionStartedEventAttributes().getInitiatedEventId();
                startedIds.put(BufferedEventFixer.childKey(initiated), b.getEventId());
                // The applier ran while the id was unknown: give the pending child its real started event id.
                var child = state.getChildrenOrDefault(initiated, null);
                if (child != null) {
                    state.putChildren(initiated, child.toBuilder().setStartedEventId(b.getEventId()).build());
                }
            }
            BufferedEventFixer.fixStartedEventId(b, startedIds);
            HistoryEvent event = b.build();
            newEvents.add(event);
            state.setNextEventId(event.getEventId() + 1);
        }
        changed = true;
    }

    /** True if a buffered event finished the activity (its completion is waiting for the running task). */
    public boolean bufferedActivityFinish(long scheduledEventId) {
        return state.getBufferedEventsList().stream().map(StateCodec::event)
                .anyMatch(e -> BufferedEventFixer.finishesActivity(e, scheduledEventId));
    }

    public boolean bufferedTimerFired(String timerId) {
        return state.getBufferedEventsList().stream().map(StateCodec::event)
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED
                        && e.getTimerFiredEventAttributes().getTimerId().equals(timerId));
    }

    private void appendAndApply(HistoryEvent event) {
        EventAppliers.apply(state, event);
        state.setNextEventId(event.getEventId() + 1);
        newEvents.add(event);
        changed = true;
    }

    // ---- tasks ---------------------------------------------------------------------------------------

    public void addTransferTask(TransferTask.Builder task) {
        newTransferTasks.add(task.setNamespaceId(key.namespaceId()).setWorkflowId(key.workflowId()).setRunId(key.runId()));
        changed = true;
    }

    public void addTimerTask(TimerTask.Builder task) {
        // A timer already due fires now; a fire time in the past could fall below the persisted ack level.
        task.setFireTimeMs(Math.max(task.getFireTimeMs(), now));
        newTimerTasks.add(task.setNamespaceId(key.namespaceId()).setWorkflowId(key.workflowId()).setRunId(key.runId()));
        changed = true;
    }

    /** The record to persist, with its version moved on by one. */
    /** The record to persist for this transition (called once per commit): version, transition count, history size. */
    public MutableStateRecord toRecord() {
        long added = 0;
        for (HistoryEvent e : newEvents) {
            added += e.getSerializedSize();
        }
        state.setDbVersion(loadedDbVersion + 1);
        state.getExecutionBuilder().setStateTransitionCount(state.getExecution().getStateTransitionCount() + 1)
                .setHistorySizeBytes(state.getExecution().getHistorySizeBytes() + added);
        return state.build();
    }
}
