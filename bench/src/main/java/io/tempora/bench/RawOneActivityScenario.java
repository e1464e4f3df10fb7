package io.tempora.bench;

/**
 * {@code --scenario one-activity}: the {@link LoadGenerator} workload without the SDK. N workflows, each
 * scheduling one echo activity and completing with its result, C in flight (see {@link RawOneActivityPhase}).
 */
final class RawOneActivityScenario {

  private final RawRun run;
  private final int workflows;
  private final int concurrency;

  RawOneActivityScenario(RawRun run, int workflows, int concurrency) {
    this.run = run;
    this.workflows = workflows;
    this.concurrency = concurrency;
  }

  RawOutcome run() throws InterruptedException {
    RawOneActivityPhase phase =
        new RawOneActivityPhase("measure", run.client(), run.idPrefix() + "-measure", workflows, concurrency,
            run.workflowTimeoutSeconds(), run.errors());
    ServerMeter meter = run.meter();
    run.ticker().watch(phase::status);
    meter.start();
    PhaseResult r = phase.run(run.deadlineNanos());
    meter.stop();
    run.ticker().watch(null);
    ServerFigures server = meter.figures(r.completed());

    BenchReport.printSummary(System.out, r);
    double clientPerWorkflow = r.completed() == 0 ? -1.0 : (double) meter.clientCpuMillis() / r.completed();
    System.out.println(BenchSupport.fmt("  client      cpu %d ms (%.2f ms/workflow)", meter.clientCpuMillis(), clientPerWorkflow));
    if (server.known()) {
      System.out.println(server.summary());
    }
    return new RawOutcome(resultLine(r, clientPerWorkflow, server), r.errors());
  }

  /** The RESULT line of a run that never measured (e.g. the warmup showed the server does not work). */
  RawOutcome notRun() {
    return new RawOutcome(resultLine(PhaseResult.notRun("measure", workflows), -1.0, ServerFigures.UNKNOWN), workflows);
  }

  private String resultLine(PhaseResult r, double clientPerWorkflow, ServerFigures server) {
    return new ResultLine()
        .add("bench", "raw-one-activity")
        .add("target", run.bench().target())
        .add("workflows", r.requested())
        .add("concurrency", concurrency)
        .add("seconds", r.seconds(), 2)
        .add("throughput", r.throughput(), 1)
        .add("p50_ms", r.percentileMillis(50), 1)
        .add("p95_ms", r.percentileMillis(95), 1)
        .add("p99_ms", r.percentileMillis(99), 1)
        .add("max_ms", r.maxMillis(), 1)
        .add("errors", r.errors())
        .add("client_cpu_ms_per_workflow", clientPerWorkflow, 2)
        .server(server)
        .toString();
  }
}
