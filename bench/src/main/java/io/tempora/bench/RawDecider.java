package io.tempora.bench;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.CompleteWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.FailWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import java.util.List;

/**
 * The whole "workflow code" of the raw bench: from a run's full history, what its next workflow task answers.
 * No SDK and no replay: each workflow type is one step, and the history says which step the run is at.
 *
 * <ul>
 *   <li>{@link #ONE_ACTIVITY}: schedules one activity with the workflow's input, completes with its result;
 *   <li>{@link #TIMER}: starts one timer of as many seconds as its input says, completes when it fires;
 *   <li>{@link #SIGNAL}: answers its first task with no command (the run then waits), completes on a signal.
 * </ul>
 */
final class RawDecider {

  static final String ONE_ACTIVITY = "RawOneActivity";
  static final String TIMER = "RawTimer";
  static final String SIGNAL = "RawSignal";
  static final String ACTIVITY_TYPE = "RawEcho";
  static final String SIGNAL_NAME = "go";

  private static final Duration ACTIVITY_START_TO_CLOSE = Durations.fromSeconds(10);

  /** What a decision does to the run, so the worker can tell its listener once the server accepted it. */
  enum Step {
    /** The run's first task: its one command was sent (or, for {@link #SIGNAL}, none: it now waits). */
    FIRST,
    /** The run completes (or fails, see {@link Decision#failed}). */
    CLOSE,
    /** Nothing new, e.g. a task caused by something the bench does not wait for. */
    NONE
  }

  /**
   * @param timerDueMillis for a run whose timer fired: when it was due (epoch ms, from the TimerStarted event);
   *     -1 otherwise
   * @param timerFiredMillis the TimerFired event's time (epoch ms), -1 if none
   */
  record Decision(List<Command> commands, Step step, boolean failed, long timerDueMillis, long timerFiredMillis) {}

  private final TaskQueue taskQueue;

  /** Activities go to {@code taskQueue}, where the same bench worker polls for them. */
  RawDecider(TaskQueue taskQueue) {
    this.taskQueue = taskQueue;
  }

  Decision decide(String workflowType, List<HistoryEvent> events) {
    Payloads input = Payloads.getDefaultInstance();
    boolean taskCompletedBefore = false;
    boolean commandIssued = false;
    long timerDue = -1L;
    long timerFired = -1L;
    Payloads result = null;
    String failure = null;
    for (HistoryEvent e : events) {
      switch (e.getEventType()) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED -> input = e.getWorkflowExecutionStartedEventAttributes().getInput();
        case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> taskCompletedBefore = true;
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> commandIssued = true;
        case EVENT_TYPE_TIMER_STARTED -> {
          commandIssued = true;
          timerDue =
              Timestamps.toMillis(e.getEventTime())
                  + Durations.toMillis(e.getTimerStartedEventAttributes().getStartToFireTimeout());
        }
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> result = e.getActivityTaskCompletedEventAttributes().getResult();
        case EVENT_TYPE_TIMER_FIRED -> {
          timerFired = Timestamps.toMillis(e.getEventTime());
          result = Payloads.getDefaultInstance();
        }
        case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED -> result = e.getWorkflowExecutionSignaledEventAttributes().getInput();
        // The echo activity cannot fail by itself: a failure or timeout means the server (or the bench) broke
        // something, and the run must end failed so the starter counts it as an error.
        case EVENT_TYPE_ACTIVITY_TASK_FAILED, EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> failure = "activity " + e.getEventType();
        default -> {}
      }
    }
    if (failure != null) {
      return new Decision(List.of(fail(failure)), Step.CLOSE, true, -1L, -1L);
    }
    if (result != null) {
      return new Decision(List.of(complete(result)), Step.CLOSE, false, timerDue, timerFired);
    }
    if (taskCompletedBefore || commandIssued) {
      return new Decision(List.of(), Step.NONE, false, -1L, -1L);
    }
    return new Decision(firstCommands(workflowType, input), Step.FIRST, false, -1L, -1L);
  }

  private List<Command> firstCommands(String workflowType, Payloads input) {
    return switch (workflowType) {
      case ONE_ACTIVITY -> List.of(scheduleEcho(input));
      case TIMER -> List.of(startTimer(Long.parseLong(RawPayloads.text(input).trim())));
      case SIGNAL -> List.of(); // an empty completion: the run waits for its signal
      default -> List.of(fail("unknown workflow type " + workflowType));
    };
  }

  private Command scheduleEcho(Payloads input) {
    return Command.newBuilder()
        .setCommandType(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK)
        .setScheduleActivityTaskCommandAttributes(
            ScheduleActivityTaskCommandAttributes.newBuilder()
                .setActivityId("1")
                .setActivityType(ActivityType.newBuilder().setName(ACTIVITY_TYPE))
                .setTaskQueue(taskQueue)
                .setInput(input)
                .setStartToCloseTimeout(ACTIVITY_START_TO_CLOSE))
        .build();
  }

  private static Command startTimer(long seconds) {
    return Command.newBuilder()
        .setCommandType(CommandType.COMMAND_TYPE_START_TIMER)
        .setStartTimerCommandAttributes(
            StartTimerCommandAttributes.newBuilder().setTimerId("1").setStartToFireTimeout(Durations.fromSeconds(seconds)))
        .build();
  }

  private static Command complete(Payloads result) {
    CompleteWorkflowExecutionCommandAttributes.Builder attributes = CompleteWorkflowExecutionCommandAttributes.newBuilder();
    if (result.getPayloadsCount() > 0) {
      attributes.setResult(result);
    }
    return Command.newBuilder()
        .setCommandType(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
        .setCompleteWorkflowExecutionCommandAttributes(attributes)
        .build();
  }

  private static Command fail(String message) {
    return Command.newBuilder()
        .setCommandType(CommandType.COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION)
        .setFailWorkflowExecutionCommandAttributes(
            FailWorkflowExecutionCommandAttributes.newBuilder().setFailure(Failure.newBuilder().setMessage(message)))
        .build();
  }
}
