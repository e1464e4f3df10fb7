package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Durable timers: they really wait, and they are recorded in history. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerWorkflowTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface SleepWorkflow {
        @WorkflowMethod
        String sleep(long millis);
    }

    public static class SleepWorkflowImpl implements SleepWorkflow {
        @Override
        public String sleep(long millis) {
            Workflow.sleep(Duration.ofMillis(millis));
            return "woke after " + millis + " ms";
        }
    }

    @WorkflowInterface
    public interface TwoTimersWorkflow {
        @WorkflowMethod
        String run(long longMillis, long shortMillis);
    }

    public static class TwoTimersWorkflowImpl implements TwoTimersWorkflow {
        @Override
        public String run(long longMillis, long shortMillis) {
            Promise<Void> longTimer = Workflow.newTimer(Duration.ofMillis(longMillis));
            Promise<Void> shortTimer = Workflow.newTimer(Duration.ofMillis(shortMillis));
            Promise.allOf(longTimer, shortTimer).get();
            return "both fired";
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(SleepWorkflowImpl.class, TwoTimersWorkflowImpl.class);
        tempora.startWorkers();
    }

    private static long millisBetween(Timestamp from, Timestamp to) {
        Instant a = Instant.ofEpochSecond(from.getSeconds(), from.getNanos());
        Instant b = Instant.ofEpochSecond(to.getSeconds(), to.getNanos());
        return Duration.between(a, b).toMillis();
    }

    @Test
    void durableTimerWaitsAtLeastItsDuration() throws Exception {
        String id = tempora.workflowId("sleep");
        SleepWorkflow wf = tempora.client().newWorkflowStub(SleepWorkflow.class, tempora.options(id));

        long t0 = System.nanoTime();
        WorkflowClient.start(wf::sleep, 2_000L);
        String result = WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(result).isEqualTo("woke after 2000 ms");
        assertThat(elapsedMillis).as("client-measured elapsed time").isGreaterThanOrEqualTo(2_000);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events)).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_TIMER_STARTED,
                EventType.EVENT_TYPE_TIMER_FIRED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        HistoryEvent started = events.get(4);
        HistoryEvent fired = events.get(5);
        assertThat(started.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds()).isEqualTo(2);
        assertThat(started.getTimerStartedEventAttributes().getWorkflowTaskCompletedEventId()).isEqualTo(4);
        assertThat(fired.getTimerFiredEventAttributes().getTimerId())
                .isEqualTo(started.getTimerStartedEventAttributes().getTimerId());
        assertThat(fired.getTimerFiredEventAttributes().getStartedEventId()).isEqualTo(started.getEventId());
        assertThat(millisBetween(started.getEventTime(), fired.getEventTime()))
                .as("server-side time between TimerStarted and TimerFired")
                .isGreaterThanOrEqualTo(1_990);
    }

    @Test
    void shorterTimerFiresFirstAndBothAreRecorded() throws Exception {
        String id = tempora.workflowId("two-timers");
        TwoTimersWorkflow wf = tempora.client().newWorkflowStub(TwoTimersWorkflow.class, tempora.options(id));

        long t0 = System.nanoTime();
        WorkflowClient.start(wf::run, 2_500L, 500L);
        String result = WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertThat(result).isEqualTo("both fired");
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(2_500);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        List<HistoryEvent> timerStarts = Histories.ofType(events, EventType.EVENT_TYPE_TIMER_STARTED);
        List<HistoryEvent> timerFires = Histories.ofType(events, EventType.EVENT_TYPE_TIMER_FIRED);
        assertThat(timerStarts).hasSize(2);
        assertThat(timerFires).hasSize(2);
        HistoryEvent longStart = timerStarts.stream()
                .filter(e -> e.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds() == 2)
                .findFirst().orElseThrow();
        HistoryEvent shortStart = timerStarts.stream()
                .filter(e -> e.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds() == 0)
                .findFirst().orElseThrow();
        assertThat(timerFires.get(0).getTimerFiredEventAttributes().getStartedEventId())
                .as("the 500 ms timer fires first").isEqualTo(shortStart.getEventId());
        assertThat(timerFires.get(1).getTimerFiredEventAttributes().getStartedEventId())
                .as("the 2.5 s timer fires second").isEqualTo(longStart.getEventId());
        assertThat(Histories.types(events)).containsOnlyOnce(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }
}
