package io.tempora.bench.jmh;

import io.tempora.common.proto.ActivityInfo;
import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.WorkflowTaskInfo;
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
 * A run's state is written whole on each transition and read back when it is not cached: encode and decode of a
 * MutableStateRecord as a one-activity workflow has it (execution info, a workflow task, one pending activity).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MutableStateCodecBench {
  MutableStateRecord record;
  byte[] bytes;

  @Setup
  public void setUp() {
    record = MutableStateRecord.newBuilder()
        .setExecution(Filled.scalars(ExecutionInfo.newBuilder()))
        .setWorkflowTask(Filled.scalars(WorkflowTaskInfo.newBuilder()))
        .putActivities(5, Filled.scalars(ActivityInfo.newBuilder()).build())
        .setNextEventId(6).setDbVersion(4)
        .build();
    bytes = record.toByteArray();
  }

  @Benchmark
  public byte[] encode() {
    return record.toByteArray();
  }

  @Benchmark
  public MutableStateRecord decode() throws Exception {
    return MutableStateRecord.parseFrom(bytes);
  }

  @Benchmark
  public MutableStateRecord copyAndChange() {
    // What a transition does to the cached state before it is written: a builder copy with a few fields changed.
    return record.toBuilder().setNextEventId(record.getNextEventId() + 3).setDbVersion(record.getDbVersion() + 1).build();
  }
}
