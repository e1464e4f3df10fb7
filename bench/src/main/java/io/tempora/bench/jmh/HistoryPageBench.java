package io.tempora.bench.jmh;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.ActivityTaskCompletedEventAttributes;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskCompletedEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskScheduledEventAttributes;
import io.temporal.api.history.v1.WorkflowTaskStartedEventAttributes;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A history page as a poll or GetWorkflowExecutionHistory answers it: the events of a one-activity workflow (stored
 * as encoded events) decoded and put into a response, then encoded for the wire.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HistoryPageBench {
  List<byte[]> stored;

  @Setup
  public void setUp() {
    Payloads payload = Payloads.newBuilder().addPayloads(Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain")).setData(ByteString.copyFromUtf8("\"a small input\""))).build();
    List<HistoryEvent> events = new ArrayList<>();
    events.add(event(1, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED).setWorkflowExecutionStartedEventAttributes(
        Filled.scalars(WorkflowExecutionStartedEventAttributes.newBuilder()).setInput(payload)).build());
    for (int round = 0; round < 2; round++) {
      long base = 2 + round * 6L;
      events.add(event(base, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED).setWorkflowTaskScheduledEventAttributes(
          Filled.scalars(WorkflowTaskScheduledEventAttributes.newBuilder())).build());
      events.add(event(base + 1, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED).setWorkflowTaskStartedEventAttributes(
          Filled.scalars(WorkflowTaskStartedEventAttributes.newBuilder())).build());
      events.add(event(base + 2, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).setWorkflowTaskCompletedEventAttributes(
          Filled.scalars(WorkflowTaskCompletedEventAttributes.newBuilder())).build());
      events.add(event(base + 3, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).setActivityTaskScheduledEventAttributes(
          Filled.scalars(ActivityTaskScheduledEventAttributes.newBuilder()).setInput(payload)).build());
      events.add(event(base + 5, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).setActivityTaskCompletedEventAttributes(
          Filled.scalars(ActivityTaskCompletedEventAttributes.newBuilder()).setResult(payload)).build());
    }
    stored = events.stream().map(HistoryEvent::toByteArray).toList();
  }

  private static HistoryEvent.Builder event(long id, EventType type) {
    return HistoryEvent.newBuilder().setEventId(id).setEventType(type).setTaskId(1_048_576 + id)
        .setEventTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_733_000_000L + id));
  }

  @Benchmark
  public byte[] decodeBuildAndEncodePage() throws Exception {
    History.Builder history = History.newBuilder();
    for (byte[] e : stored) {
      history.addEvents(HistoryEvent.parseFrom(e));
    }
    return GetWorkflowExecutionHistoryResponse.newBuilder().setHistory(history).build().toByteArray();
  }
}
