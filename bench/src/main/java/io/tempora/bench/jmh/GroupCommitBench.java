package io.tempora.bench.jmh;

import io.tempora.persistence.Database;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A transition's commit through the group-commit writer on a real SQLite file (WAL, synchronous=FULL, in the
 * working directory): one unit of the size of a transition (a 2 KB state row and two history rows), acknowledged
 * once durable. Alone, every unit pays a whole fsync; with 16 callers the units share commits.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class GroupCommitBench {
  TempDatabase temp;
  Database db;
  final AtomicLong ids = new AtomicLong();
  final byte[] state = new byte[2048];
  final byte[] event = new byte[300];

  @Setup(Level.Trial)
  public void open() throws Exception {
    temp = new TempDatabase("jmh-commit-");
    db = temp.db;
    db.write(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE bench_state (id INTEGER PRIMARY KEY, data BLOB)");
        st.execute("CREATE TABLE bench_history (run INTEGER, event INTEGER, data BLOB, PRIMARY KEY (run, event))");
      }
      return null;
    });
    ThreadLocalRandom.current().nextBytes(state);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    temp.close();
  }

  private Object transition() {
    long id = ids.incrementAndGet();
    return db.write(c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT OR REPLACE INTO bench_state VALUES (?, ?)");
           PreparedStatement h = c.prepareStatement("INSERT INTO bench_history VALUES (?, ?, ?)")) {
        s.setLong(1, id % 50_000);
        s.setBytes(2, state);
        s.executeUpdate();
        for (int e = 0; e < 2; e++) {
          h.setLong(1, id);
          h.setLong(2, e);
          h.setBytes(3, event);
          h.executeUpdate();
        }
      }
      return id;
    });
  }

  @Benchmark
  @Threads(1)
  public Object oneCaller() {
    return transition();
  }

  @Benchmark
  @Threads(16)
  public Object sixteenCallers() {
    return transition();
  }
}
