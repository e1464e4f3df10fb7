package io.tempora.bench;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal worker on plain gRPC: long-polling threads for workflow and activity tasks. Workflow tasks are
 * answered by {@link RawDecider} from the run's full history (no sticky queue, so the server always sends the
 * whole history and the worker keeps no state); activity tasks are completed with their own input.
 *
 * <p>It is meant to cost the client as little as possible, so that the server is what saturates: no replay, no
 * caches, no metrics. What it sees is reported to a {@link Listener}, which is how the scenarios learn that a
 * timer is armed, a run waits for its signal, a run completed, or a timer fired.
 */
final class RawWorker implements AutoCloseable {

  /** Callbacks from the poller threads; must be cheap and thread-safe. Called only once the server accepted. */
  interface Listener {
    /** The run's first workflow task was completed: its timer or activity is scheduled, or it waits. */
    default void firstTaskDone(String workflowId, String workflowType) {}

    /** The run's closing workflow task was completed. */
    default void closed(String workflowId, String workflowType, boolean failed) {}

    /** The worker received the task with the run's TimerFired (epoch ms: due, event time, seen by the worker). */
    default void timerFired(String workflowId, long dueMillis, long firedEventMillis, long seenMillis) {}
  }

  /**
   * Deadline of one poll. The server answers an empty poll shortly before the deadline it is given (as Temporal's
   * does), so this is also how long an idle poller waits per call; 60 s like the SDKs' long polls.
   */
  private static final long POLL_SECONDS = 60;

  private static final long RESPOND_SECONDS = 30;
  private static final int PRINTED_ERRORS = 3;

  private final RawClient client;
  private final RawDecider decider;
  private final int workflowPollers;
  private final int activityPollers;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong pollErrors = new AtomicLong();
  private final AtomicLong respondErrors = new AtomicLong();
  private volatile Listener listener = new Listener() {};
  private volatile boolean running;

  RawWorker(RawClient client, int workflowPollers, int activityPollers) {
    this.client = client;
    this.decider = new RawDecider(client.normalTaskQueue());
    this.workflowPollers = workflowPollers;
    this.activityPollers = activityPollers;
  }

  void listen(Listener next) {
    listener = next;
  }

  /** Failed polls (other than our own deadline), e.g. while the server is down. */
  long pollErrors() {
    return pollErrors.get();
  }

  /** Failed task completions; the server retries those tasks after their timeout. */
  long respondErrors() {
    return respondErrors.get();
  }

  void start() {
    running = true;
    // Virtual threads: a poller spends nearly all its life blocked in a long poll.
    for (int i = 0; i < workflowPollers; i++) {
      threads.add(Thread.ofVirtual().name("raw-workflow-poller-" + i).start(this::workflowLoop));
    }
    for (int i = 0; i < activityPollers; i++) {
      threads.add(Thread.ofVirtual().name("raw-activity-poller-" + i).start(this::activityLoop));
    }
  }

  private void workflowLoop() {
    PollWorkflowTaskQueueRequest request =
        PollWorkflowTaskQueueRequest.newBuilder()
            .setNamespace(client.namespace())
            .setTaskQueue(client.normalTaskQueue())
            .setIdentity(client.identity())
            .build();
    while (running) {
      PollWorkflowTaskQueueResponse task;
      try {
        task = client.channels().stub().withDeadlineAfter(POLL_SECONDS, TimeUnit.SECONDS).pollWorkflowTaskQueue(request);
      } catch (StatusRuntimeException e) {
        pollFailed(e);
        continue;
      }
      if (!task.getTaskToken().isEmpty()) {
        handleWorkflowTask(task);
      }
    }
  }

  private void handleWorkflowTask(PollWorkflowTaskQueueResponse task) {
    String workflowId = task.getWorkflowExecution().getWorkflowId();
    String type = task.getWorkflowType().getName();
    try {
      RawDecider.Decision decision = decider.decide(type, fullHistory(task));
      if (decision.timerFiredMillis() >= 0) {
        listener.timerFired(workflowId, decision.timerDueMillis(), decision.timerFiredMillis(), System.currentTimeMillis());
      }
      client.channels()
          .stub()
          .withDeadlineAfter(RESPOND_SECONDS, TimeUnit.SECONDS)
          .respondWorkflowTaskCompleted(
              RespondWorkflowTaskCompletedRequest.newBuilder()
                  .setNamespace(client.namespace())
                  .setTaskToken(task.getTaskToken())
                  .addAllCommands(decision.commands())
                  .setIdentity(client.identity())
                  .build());
      switch (decision.step()) {
        case FIRST -> listener.firstTaskDone(workflowId, type);
        case CLOSE -> listener.closed(workflowId, type, decision.failed());
        case NONE -> {}
      }
    } catch (RuntimeException e) {
      // Any failure, not only the server's: an exception escaping here would silently end this poller.
      failed(respondErrors, "workflow task of " + workflowId, e);
    }
  }

  /** The poll's history plus, should the server have paged it, the remaining pages. */
  private List<HistoryEvent> fullHistory(PollWorkflowTaskQueueResponse task) {
    ByteString token = task.getNextPageToken();
    if (token.isEmpty()) {
      return task.getHistory().getEventsList();
    }
    List<HistoryEvent> events = new ArrayList<>(task.getHistory().getEventsList());
    while (!token.isEmpty()) {
      GetWorkflowExecutionHistoryResponse page =
          client.channels()
              .stub()
              .withDeadlineAfter(RESPOND_SECONDS, TimeUnit.SECONDS)
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(client.namespace())
                      .setExecution(task.getWorkflowExecution())
                      .setNextPageToken(token)
                      .build());
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    }
    return events;
  }

  private void activityLoop() {
    PollActivityTaskQueueRequest request =
        PollActivityTaskQueueRequest.newBuilder()
            .setNamespace(client.namespace())
            .setTaskQueue(client.normalTaskQueue())
            .setIdentity(client.identity())
            .build();
    while (running) {
      PollActivityTaskQueueResponse task;
      try {
        task = client.channels().stub().withDeadlineAfter(POLL_SECONDS, TimeUnit.SECONDS).pollActivityTaskQueue(request);
      } catch (StatusRuntimeException e) {
        pollFailed(e);
        continue;
      }
      if (task.getTaskToken().isEmpty()) {
        continue;
      }
      try {
        // The echo activity: its result is its input.
        client.channels()
            .stub()
            .withDeadlineAfter(RESPOND_SECONDS, TimeUnit.SECONDS)
            .respondActivityTaskCompleted(
                RespondActivityTaskCompletedRequest.newBuilder()
                    .setNamespace(client.namespace())
                    .setTaskToken(task.getTaskToken())
                    .setResult(task.getInput())
                    .setIdentity(client.identity())
                    .build());
      } catch (StatusRuntimeException e) {
        failed(respondErrors, "activity task of " + task.getWorkflowExecution().getWorkflowId(), e);
      }
    }
  }

  private void pollFailed(StatusRuntimeException e) {
    if (!running || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return; // shutting down, or our own deadline on an idle poll: not an error
    }
    failed(pollErrors, "poll", e);
    // Do not spin while the server is down (e.g. between a kill and its restart).
    try {
      Thread.sleep(100);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void failed(AtomicLong counter, String what, RuntimeException e) {
    if (running && counter.incrementAndGet() <= PRINTED_ERRORS) {
      System.err.println("raw-worker: " + what + " failed: " + (e instanceof StatusRuntimeException s ? s.getStatus() : e));
    }
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
