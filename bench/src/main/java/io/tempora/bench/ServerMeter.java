package io.tempora.bench;

/**
 * The server's figures over a bench's measured phase: CPU used between {@link #start} and {@link #stop} (several
 * start/stop pairs add up, for phases with an unmeasured pause between them), then RSS and heap as they are when
 * {@link #figures} is called. Without a server pid every server figure is unknown (-1) and nothing is read.
 *
 * <p>The bench's own CPU over the same phase is kept too ({@link #clientCpuMillis}): on a shared machine it says
 * whether the client or the server was the one using up the cores.
 */
final class ServerMeter {

  private static final ServerProcessStats SELF = new ServerProcessStats(ProcessHandle.current().pid());

  private final ServerProcessStats stats; // null: no pid given
  private final boolean liveHeap;
  private long cpuMillis;
  private long startedAt = -1L;
  private boolean cpuUnreadable;
  private long clientCpuMillis;
  private long clientStartedAt = -1L;

  private final String dbProcess; // null: no database process named
  private long dbCpuMillis;
  private long dbStartedAt = -1L;

  ServerMeter(ServerProcessStats stats, boolean liveHeap) {
    this(stats, liveHeap, null);
  }

  ServerMeter(ServerProcessStats stats, boolean liveHeap, String dbProcess) {
    this.stats = stats;
    this.liveHeap = liveHeap;
    this.dbProcess = dbProcess;
  }

  void start() {
    clientStartedAt = SELF.cpuMillis();
    if (dbProcess != null) {
      dbStartedAt = ServerProcessStats.cpuMillisOfAll(dbProcess);
    }
    if (stats != null) {
      startedAt = stats.cpuMillis();
    }
  }

  void stop() {
    if (dbProcess != null && dbStartedAt >= 0) {
      dbCpuMillis += ServerProcessStats.cpuMillisOfAll(dbProcess) - dbStartedAt;
      dbStartedAt = -1L;
    }
    long clientNow = SELF.cpuMillis();
    if (clientStartedAt >= 0 && clientNow >= 0) {
      clientCpuMillis += clientNow - clientStartedAt;
    }
    clientStartedAt = -1L;
    if (stats == null || startedAt < 0) {
      cpuUnreadable |= stats != null;
      return;
    }
    long now = stats.cpuMillis();
    if (now < 0) {
      cpuUnreadable = true; // e.g. the server died during the phase
    } else {
      cpuMillis += now - startedAt;
    }
    startedAt = -1L;
  }

  /** The bench process's own CPU over the measured phase (user + system), in milliseconds. */
  long clientCpuMillis() {
    return clientCpuMillis;
  }

  /** CPU over the measured phase divided by {@code workflows}, plus the server's RSS and heap right now. */
  ServerFigures figures(long workflows) {
    if (stats == null) {
      return ServerFigures.UNKNOWN;
    }
    double perWorkflow = cpuUnreadable || workflows <= 0 ? -1.0 : (double) cpuMillis / workflows;
    double dbPerWorkflow = dbProcess == null || workflows <= 0 ? -1.0 : (double) dbCpuMillis / workflows;
    return new ServerFigures(cpuUnreadable ? -1L : cpuMillis, perWorkflow, stats.rssMb(), stats.heapUsedMb(liveHeap), dbPerWorkflow);
  }

  /** RSS and heap only, for a point in time that is not the end of a measured phase (e.g. after a restart). */
  ServerFigures memoryNow() {
    return stats == null ? ServerFigures.UNKNOWN : new ServerFigures(-1L, -1.0, stats.rssMb(), stats.heapUsedMb(liveHeap));
  }
}
