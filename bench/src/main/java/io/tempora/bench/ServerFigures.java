package io.tempora.bench;

/**
 * What {@link ServerMeter} read about the server process; -1 for anything unknown.
 *
 * @param cpuMillis user + system CPU the server used during the measured phase
 * @param cpuMsPerWorkflow {@code cpuMillis} divided by the workflows of the phase
 * @param rssMb resident set size (VmRSS) in MiB after the phase
 * @param heapMb used Java heap in MiB after the phase (see {@link ServerProcessStats#heapUsedMb})
 * @param dbCpuMsPerWorkflow CPU of the database server's processes ({@code --db-process}) per workflow
 */
record ServerFigures(long cpuMillis, double cpuMsPerWorkflow, double rssMb, double heapMb, double dbCpuMsPerWorkflow) {

  static final ServerFigures UNKNOWN = new ServerFigures(-1L, -1.0, -1.0, -1.0);

  ServerFigures(long cpuMillis, double cpuMsPerWorkflow, double rssMb, double heapMb) {
    this(cpuMillis, cpuMsPerWorkflow, rssMb, heapMb, -1.0);
  }

  boolean known() {
    return this != UNKNOWN;
  }

  /** The keys every bench appends to its RESULT line, with a leading space. Keep names stable. */
  String resultKeys() {
    return BenchSupport.fmt(" server_cpu_ms_per_workflow=%.2f server_rss_mb=%.1f server_heap_mb=%.1f", cpuMsPerWorkflow, rssMb, heapMb)
        + (dbCpuMsPerWorkflow >= 0 ? BenchSupport.fmt(" db_cpu_ms_per_workflow=%.2f", dbCpuMsPerWorkflow) : "");
  }

  /** One summary line for humans. */
  String summary() {
    return BenchSupport.fmt(
        "  server      cpu %d ms over the measured phase (%.2f ms/workflow), rss %.1f MiB, heap used %.1f MiB",
        cpuMillis, cpuMsPerWorkflow, rssMb, heapMb)
        + (dbCpuMsPerWorkflow >= 0 ? BenchSupport.fmt("; database %.2f ms/workflow", dbCpuMsPerWorkflow) : "");
  }
}
