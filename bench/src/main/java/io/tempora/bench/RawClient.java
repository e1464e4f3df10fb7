package io.tempora.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import java.lang.management.ManagementFactory;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The client side of the raw bench: start a workflow, wait for its close event, signal it. Plain requests on
 * {@link RawChannels}, built the way the SDKs build them, so the server sees what it sees from real clients.
 */
final class RawClient {

  /** Workflow task timeout of every started workflow: the SDKs' default. */
  private static final Duration WORKFLOW_TASK_TIMEOUT = Duration.newBuilder().setSeconds(10).build();

  /** Per-call deadline of unary calls: generous, a loaded server may be slow but a hung call must end. */
  private static final long CALL_SECONDS = 30;

  /**
   * Deadline of one history long poll. The server answers an empty page shortly before the deadline it is given
   * (Tempora: 1 s before), and the wait goes on with the page token, as in the SDKs.
   */
  private static final long LONG_POLL_SECONDS = 60;

  private final RawChannels channels;
  private final String namespace;
  private final String taskQueue;
  private final String identity;

  RawClient(RawChannels channels, String namespace, String taskQueue) {
    this.channels = channels;
    this.namespace = namespace;
    this.taskQueue = taskQueue;
    // What the SDKs send: pid@host. Servers show it on history events, which helps when reading a run's data.
    this.identity = ManagementFactory.getRuntimeMXBean().getName() + "-raw-bench";
  }

  RawChannels channels() {
    return channels;
  }

  String namespace() {
    return namespace;
  }

  String taskQueue() {
    return taskQueue;
  }

  String identity() {
    return identity;
  }

  TaskQueue normalTaskQueue() {
    return TaskQueue.newBuilder().setName(taskQueue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
  }

  /** Starts a workflow and returns its run id. {@code executionTimeoutSeconds} 0 means none. */
  String start(String type, String workflowId, Payloads input, long executionTimeoutSeconds) {
    return start(type, workflowId, input, executionTimeoutSeconds, taskQueue);
  }

  /** As above, on {@code queue} (e.g. one no worker polls). */
  String start(String type, String workflowId, Payloads input, long executionTimeoutSeconds, String queue) {
    StartWorkflowExecutionRequest.Builder request =
        StartWorkflowExecutionRequest.newBuilder()
            .setNamespace(namespace)
            .setWorkflowId(workflowId)
            .setWorkflowType(WorkflowType.newBuilder().setName(type))
            .setTaskQueue(TaskQueue.newBuilder().setName(queue).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
            .setInput(input)
            .setWorkflowTaskTimeout(WORKFLOW_TASK_TIMEOUT)
            .setIdentity(identity)
            .setRequestId(UUID.randomUUID().toString());
    if (executionTimeoutSeconds > 0) {
      request.setWorkflowExecutionTimeout(Duration.newBuilder().setSeconds(executionTimeoutSeconds));
    }
    return stub(CALL_SECONDS).startWorkflowExecution(request.build()).getRunId();
  }

  /**
   * Waits for the run's close event with the long poll the SDKs use for a workflow's result
   * (wait_new_event, CLOSE_EVENT filter), re-polling with the page token until the event comes or the deadline.
   */
  HistoryEvent awaitClose(String workflowId, String runId, long deadlineNanos) throws TimeoutException {
    GetWorkflowExecutionHistoryRequest.Builder request =
        GetWorkflowExecutionHistoryRequest.newBuilder()
            .setNamespace(namespace)
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
            .setWaitNewEvent(true)
            .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
            .setSkipArchival(true);
    while (true) {
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(BenchSupport.remainingNanos(deadlineNanos));
      if (remainingMillis <= 0) {
        throw new TimeoutException("no close event before the overall deadline");
      }
      GetWorkflowExecutionHistoryResponse response;
      try {
        response =
            channels.stub()
                .withDeadlineAfter(Math.min(remainingMillis, TimeUnit.SECONDS.toMillis(LONG_POLL_SECONDS)), TimeUnit.MILLISECONDS)
                .getWorkflowExecutionHistory(request.build());
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
          continue; // our deadline, not the server's answer: poll again
        }
        throw e;
      }
      if (response.getHistory().getEventsCount() > 0) {
        return response.getHistory().getEvents(response.getHistory().getEventsCount() - 1);
      }
      ByteString token = response.getNextPageToken();
      request.setNextPageToken(token);
    }
  }

  /** Signals the workflow's current run once; the request id makes a retried call harmless, as in the SDKs. */
  void signal(String workflowId, String signalName, Payloads input) {
    stub(CALL_SECONDS)
        .signalWorkflowExecution(
            SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setSignalName(signalName)
                .setInput(input)
                .setIdentity(identity)
                .setRequestId(UUID.randomUUID().toString())
                .build());
  }

  /** How many WorkflowExecutionSignaled events the run's history holds (read page by page). */
  long countSignals(String workflowId, String runId) {
    GetWorkflowExecutionHistoryRequest.Builder request =
        GetWorkflowExecutionHistoryRequest.newBuilder()
            .setNamespace(namespace)
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
            .setSkipArchival(true);
    long signals = 0;
    do {
      GetWorkflowExecutionHistoryResponse page = stub(CALL_SECONDS).getWorkflowExecutionHistory(request.build());
      for (HistoryEvent e : page.getHistory().getEventsList()) {
        if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
          signals++;
        }
      }
      request.setNextPageToken(page.getNextPageToken());
    } while (!request.getNextPageToken().isEmpty());
    return signals;
  }

  void terminate(String workflowId, String reason) {
    stub(CALL_SECONDS)
        .terminateWorkflowExecution(
            TerminateWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setReason(reason)
                .setIdentity(identity)
                .build());
  }

  private WorkflowServiceBlockingStub stub(long seconds) {
    return channels.stub().withDeadlineAfter(seconds, TimeUnit.SECONDS);
  }
}
