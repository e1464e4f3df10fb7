package io.tempora.bench;

/**
 * {@code --scenario starts}: a burst of N workflow starts (C concurrent start calls, each issued as soon as the last
 * returned) on a task queue no worker polls, as a burst of scheduled workflows meets a server: the figure is how
 * fast starts are accepted, durably, with nothing else going on. The workflows stay open (until their run timeout).
 */
final class RawStartsScenario {

  private final RawRun run;
  private final int workflows;
  private final int concurrency;

  RawStartsScenario(RawRun run, int workflows, int concurrency) {
    this.run = run;
    this.workflows = workflows;
    this.concurrency = concurrency;
  }

  RawOutcome run() throws InterruptedException {
    RawClient unpolled = new RawClient(run.client().channels(), run.client().namespace(), run.client().taskQueue() + "-unpolled");
    RawStartBurst burst = new RawStartBurst("start", unpolled, RawDecider.SIGNAL, run.idPrefix() + "-start", workflows,
        concurrency, RawPayloads.jsonString("burst"), run.workflowTimeoutSeconds(), run.errors());
    ServerMeter meter = run.meter();
    run.ticker().watch(burst::status);
    meter.start();
    RawStartBurst.Result starts = burst.run(run.deadlineNanos());
    meter.stop();
    run.ticker().watch(null);
    System.out.println(BenchSupport.fmt("[start] %d started in %.2f s (%.1f starts/s, %d failed); start ms p50=%.1f p95=%.1f p99=%.1f",
        starts.started(), starts.seconds(), starts.startsPerSecond(), starts.failed(), starts.percentileMillis(50),
        starts.percentileMillis(95), starts.percentileMillis(99)));
    double clientPerWorkflow = starts.started() == 0 ? -1.0 : (double) meter.clientCpuMillis() / starts.started();
    System.out.println(BenchSupport.fmt("  client      cpu %d ms (%.2f ms/workflow)", meter.clientCpuMillis(), clientPerWorkflow));
    ServerFigures server = meter.figures(starts.started());
    if (server.known()) {
      System.out.println(server.summary());
    }
    return new RawOutcome(resultLine(starts, starts.failed(), clientPerWorkflow, server), starts.failed());
  }

  RawOutcome notRun() {
    return new RawOutcome(resultLine(null, workflows, -1.0, ServerFigures.UNKNOWN), workflows);
  }

  private String resultLine(RawStartBurst.Result starts, int errors, double clientPerWorkflow, ServerFigures server) {
    return new ResultLine()
        .add("bench", "raw-starts")
        .add("target", run.bench().target())
        .add("workflows", workflows)
        .add("concurrency", concurrency)
        .add("seconds", starts == null ? -1.0 : starts.seconds(), 2)
        .add("starts_per_s", starts == null ? 0.0 : starts.startsPerSecond(), 1)
        .add("start_p50_ms", starts == null ? 0.0 : starts.percentileMillis(50), 1)
        .add("start_p95_ms", starts == null ? 0.0 : starts.percentileMillis(95), 1)
        .add("start_p99_ms", starts == null ? 0.0 : starts.percentileMillis(99), 1)
        .add("errors", errors)
        .add("client_cpu_ms_per_workflow", clientPerWorkflow, 2)
        .server(server)
        .toString();
  }
}
