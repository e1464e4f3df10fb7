package io.tempora.bench.jmh;

import io.tempora.common.proto.MatchingTask;
import io.tempora.common.rpc.AddTaskRequest;
import io.tempora.common.rpc.TaskRecorder;
import io.tempora.matching.MatchingEngine;
import io.tempora.persistence.Database;
import io.tempora.persistence.TaskStore;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Matching's hand-off in process: producers add workflow tasks while pollers wait on the same queue (sync match, as
 * under load), with a stand-in for history that records every task as started at once. Each add returns once a
 * poller took its task; nothing is written to the backlog unless no poller came within the sync-match wait.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@State(Scope.Group)
public class MatchingHandoffBench {
  private static final String NS = "ns-bench";
  TempDatabase temp;
  Database db;
  MatchingEngine engine;
  final MatchingTask task = MatchingTask.newBuilder().setNamespaceId(NS).setWorkflowId("wf").setRunId("run")
      .setScheduledEventId(2).build();
  final PollWorkflowTaskQueueRequest poll = PollWorkflowTaskQueueRequest.newBuilder()
      .setTaskQueue(TaskQueue.newBuilder().setName("q")).build();

  @Setup(Level.Trial)
  public void open() throws Exception {
    temp = new TempDatabase("jmh-matching-");
    db = temp.db;
    engine = new MatchingEngine(new TaskStore(db), new TaskRecorder() {
      @Override
      public PollWorkflowTaskQueueResponse recordWorkflowTaskStarted(String namespaceId, MatchingTask t, PollWorkflowTaskQueueRequest p) {
        return PollWorkflowTaskQueueResponse.newBuilder()
            .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(t.getWorkflowId()).setRunId(t.getRunId())).build();
      }

      @Override
      public PollActivityTaskQueueResponse recordActivityTaskStarted(String namespaceId, MatchingTask t, PollActivityTaskQueueRequest p) {
        return PollActivityTaskQueueResponse.getDefaultInstance();
      }
    });
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    temp.close();
  }

  @Benchmark
  @Group("handoff")
  @GroupThreads(4)
  public void add() throws Exception {
    engine.addTask(new AddTaskRequest(NS, "q", false, false, task));
  }

  @Benchmark
  @Group("handoff")
  @GroupThreads(4)
  public PollWorkflowTaskQueueResponse poll() {
    return engine.pollWorkflowTaskQueue(NS, poll, System.currentTimeMillis() + 1000);
  }
}
