package io.tempora.bench;

import picocli.CommandLine.Option;

/**
 * The options that turn on the server figures (see {@link ServerMeter}), shared by every bench as a picocli mixin.
 * Off unless a pid is given: the bench then reports only what a client can see.
 */
final class ServerStatsOptions {

  @Option(
      names = "--server-pid",
      description = "Pid of the server process on this machine; the bench then reports its CPU ms per workflow over"
          + " the measured phase, its RSS and heap.")
  Long serverPid;

  @Option(
      names = "--server-live-heap",
      description = "Run a full GC in the server (jcmd GC.run) before reading its heap, so the heap figure is live"
          + " data rather than whatever garbage the last collection left. Done after the CPU counters are read.")
  boolean liveHeap;

  @Option(
      names = "--db-process",
      description = "Command name of the database server's processes on this machine (postgres, mariadbd, mysqld);"
          + " the bench then reports their CPU ms per workflow over the measured phase too.")
  String dbProcess;

  /** A meter for the given pid (null: the one from --server-pid, which may be absent too). */
  ServerMeter meter(Long pid) {
    Long p = pid != null ? pid : serverPid;
    return new ServerMeter(p == null ? null : new ServerProcessStats(p), liveHeap, dbProcess);
  }

  ServerMeter meter() {
    return meter(null);
  }
}
