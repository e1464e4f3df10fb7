package io.tempora.history.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.tempora.common.Times;
import io.tempora.common.proto.MutableStateRecord;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Given transitions made through the state machines, rebuilding from their events gives the same state. */
class MutableStateRebuilderTest {
    private final WorkflowKey key = new WorkflowKey("ns", "wf", "run");
    private final List<HistoryEvent> history = new ArrayList<>();
    private MutableStateRecord record;
    private long now = 1_000_000;

    private MutableState next() {
        now += 10;
        return new MutableState(key, record, now);
    }

    private void commit(MutableState ms) {
        history.addAll(ms.newEvents());
        record = ms.toRecord();
    }

    private void assertRebuildMatches() {
        assertThat(MutableStateRebuilder.eventDerived(MutableStateRebuilder.rebuild(key, history)))
                .isEqualTo(MutableStateRebuilder.eventDerived(record));
    }

    private void start() {
        MutableState ms = MutableState.create(key, now);
        ExecutionStateMachine.start(ms, WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(WorkflowType.newBuilder().setName("W"))
                .setTaskQueue(TaskQueue.newBuilder().setName("q"))
                .setWorkflowTaskTimeout(Times.duration(10_000))
                .setAttempt(1)
                .setFirstExecutionRunId("run")
                .build(), "req");
        commit(ms);
    }

    private long completeWorkflowTask(java.util.function.BiConsumer<MutableState, Long> commands) {
        MutableState ms = next();
        WorkflowTaskStateMachine.start(ms, "r", "worker", false);
        commit(ms);
        ms = next();
        long completedId = WorkflowTaskStateMachine.complete(ms, io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes.newBuilder().setIdentity("worker")).getEventId();
        commands.accept(ms, completedId);
        ms.flushBufferedEvents();
        commit(ms);
        return completedId;
    }

    @Test
    void startAndFirstWorkflowTask() {
        start();
        assertRebuildMatches();
        assertThat(record.getWorkflowTask().getScheduledEventId()).isEqualTo(2);
        completeWorkflowTask((ms, id) -> { });
        assertRebuildMatches();
        assertThat(record.getExecution().getLastCompletedWftStartedEventId()).isEqualTo(3);
    }

    @Test
    void activityAndTimerLifecycle() {
        start();
        completeWorkflowTask((ms, id) -> {
            ActivityStateMachine.schedule(ms, ScheduleActivityTaskCommandAttributes.newBuilder()
                    .setActivityId("a1").setActivityType(ActivityType.newBuilder().setName("A"))
                    .setTaskQueue(TaskQueue.newBuilder().setName("q"))
                    .setStartToCloseTimeout(Times.duration(5_000)).build(), id);
            TimerStateMachine.start(ms, StartTimerCommandAttributes.newBuilder().setTimerId("t1")
                    .setStartToFireTimeout(Times.duration(2_000)).build(), id);
        });
        assertThat(record.getActivitiesCount()).isEqualTo(1);
        assertThat(record.getTimersCount()).isEqualTo(1);
        assertRebuildMatches();

        MutableState ms = next();
        long scheduledId = record.getActivitiesMap().keySet().iterator().next();
        ActivityStateMachine.start(ms, ms.activity(scheduledId), "req", "worker");
        commit(ms);
        ms = next();
        ActivityStateMachine.complete(ms, ms.activity(scheduledId), null, "worker");
        commit(ms);
        ms = next();
        TimerStateMachine.fire(ms, record.getTimersOrThrow("t1"));
        commit(ms);

        assertThat(record.getActivitiesCount()).isZero();
        assertThat(record.getTimersCount()).isZero();
        assertRebuildMatches();
    }

    @Test
    void eventsArrivingDuringAWorkflowTaskAreBufferedAndWrittenAfterItsCompletion() {
        start();
        completeWorkflowTask((ms, id) -> TimerStateMachine.start(ms, StartTimerCommandAttributes.newBuilder().setTimerId("t1")
                .setStartToFireTimeout(Times.duration(1_000)).build(), id));
        MutableState ms = next();
        WorkflowTaskStateMachine.scheduleIfNone(ms);
        commit(ms);
        ms = next();
        WorkflowTaskStateMachine.start(ms, "r", "worker", false);
        commit(ms);
        ms = next();
        TimerStateMachine.fire(ms, record.getTimersOrThrow("t1"));
        commit(ms);
        assertThat(record.getBufferedEventsCount()).isEqualTo(1);

        ms = next();
        WorkflowTaskStateMachine.complete(ms, io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes.newBuilder().setIdentity("worker"));
        ms.flushBufferedEvents();
        commit(ms);
        assertThat(record.getBufferedEventsCount()).isZero();
        assertThat(history.getLast().hasTimerFiredEventAttributes()).isTrue();
        assertRebuildMatches();
    }
}
