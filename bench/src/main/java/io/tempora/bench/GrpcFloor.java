package io.tempora.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The floor under a Tempora RPC: Temporal's WorkflowService on grpc-java, served as Tempora serves it (Netty, a
 * virtual thread per call, the same message limits) by handlers that answer at once and do nothing else. The server
 * runs as a child process so that its CPU counters hold only its own work; the bench drives it with C callers on a
 * few connections, as RawLoad does, and prints the server's CPU microseconds per call. A one-activity workflow costs
 * eight such calls (start, two workflow-task polls and completions, an activity poll and completion, the result's
 * history poll), so eight times this figure is about what gRPC alone costs per workflow on this machine (a lower
 * bound: these messages are small, poll responses carry histories, and no interceptor runs).
 *
 * <pre>GrpcFloor -n 200000 -c 50 [--executor virtual|direct] [--payload-bytes 200]</pre>
 */
@Command(name = "GrpcFloor", mixinStandardHelpOptions = true,
    description = "Server CPU per gRPC call of an empty WorkflowService handler (grpc-java, as Tempora serves it).")
public final class GrpcFloor implements Callable<Integer> {

  @Option(names = "-n", description = "measured calls (default: ${DEFAULT-VALUE})")
  int calls = 200_000;

  @Option(names = "-c", description = "callers in flight (default: ${DEFAULT-VALUE})")
  int concurrency = 50;

  @Option(names = "--warmup", description = "calls before the measured ones, for the JIT (default: ${DEFAULT-VALUE})")
  int warmup = 200_000;

  @Option(names = "--executor", description = "virtual (gRPC's executor starts a virtual thread per callback), direct (on"
      + " Netty's threads), handler (gRPC callbacks on Netty's threads, each handler in a virtual thread of its own)")
  String executor = "virtual";

  @Option(names = "--payload-bytes",
      description = "0: GetSystemInfo; otherwise RespondActivityTaskCompleted carrying a result of this size (default: ${DEFAULT-VALUE})")
  int payloadBytes = 200;

  @Option(names = "--connections", description = "client connections (default: ${DEFAULT-VALUE}, as RawLoad)")
  int connections = 4;

  @Option(names = "--serve", hidden = true, description = "run the empty server on --port (the child process)")
  boolean serve;

  @Option(names = "--port", hidden = true)
  int port;

  public static void main(String[] args) {
    BenchSupport.runAndExit(new GrpcFloor(), args);
  }

  @Override
  public Integer call() throws Exception {
    if (serve) {
      serve();
      return 0;
    }
    int serverPort = BenchSupport.freeLoopbackPort();
    String command = BenchSupport.javaCommand(GrpcFloor.class) + " --serve --port " + serverPort + " --executor " + executor;
    Path log = Files.createTempFile("grpc-floor-", ".log");
    try (ManagedServer server = new ManagedServer(command, "ready on", log)) {
      server.start(60);
      ServerProcessStats stats = new ServerProcessStats(server.pid());
      try (RawChannels channels = new RawChannels("127.0.0.1:" + serverPort, connections)) {
        drive(channels, warmup);
        long serverCpu0 = stats.cpuMillis();
        long clientCpu0 = clientCpuNanos();
        long t0 = System.nanoTime();
        drive(channels, calls);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (serverCpu0 < 0) {
          System.err.println("grpc-floor: cannot read the server's CPU counters (/proc/" + server.pid() + "/stat)");
          return 1;
        }
        double serverUs = (stats.cpuMillis() - serverCpu0) * 1000.0 / calls;
        double clientUs = (clientCpuNanos() - clientCpu0) / 1000.0 / calls;
        System.out.printf("RESULT bench=grpc-floor executor=%s payload_bytes=%d calls=%d concurrency=%d seconds=%.2f"
                + " throughput=%.0f server_cpu_us_per_call=%.1f client_cpu_us_per_call=%.1f server_cpu_ms_per_8_calls=%.3f%n",
            executor, payloadBytes, calls, concurrency, seconds, calls / seconds, serverUs, clientUs, serverUs * 8 / 1000);
      }
    }
    return 0;
  }

  /** Runs {@code total} calls from {@link #concurrency} virtual threads, each waiting for its answer. */
  private void drive(RawChannels channels, int total) throws InterruptedException {
    AtomicLong left = new AtomicLong(total);
    RespondActivityTaskCompletedRequest completion = RespondActivityTaskCompletedRequest.newBuilder()
        .setNamespace("default").setTaskToken(com.google.protobuf.ByteString.copyFrom(new byte[48])).setIdentity("grpc-floor")
        .setResult(Payloads.newBuilder().addPayloads(Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(com.google.protobuf.ByteString.copyFrom(new byte[Math.max(0, payloadBytes)]))))
        .build();
    CountDownLatch done = new CountDownLatch(concurrency);
    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < concurrency; i++) {
        callers.execute(() -> {
          try {
            while (left.getAndDecrement() > 0) {
              var stub = channels.stub().withDeadlineAfter(10, TimeUnit.SECONDS);
              if (payloadBytes == 0) {
                stub.getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
              } else {
                stub.respondActivityTaskCompleted(completion);
              }
            }
          } finally {
            done.countDown();
          }
        });
      }
      done.await();
    }
  }

  private static long clientCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private void serve() throws Exception {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .maxInboundMessageSize(16 * 1024 * 1024)
        .addService(new EmptyWorkflowService("handler".equals(executor)));
    builder = "virtual".equals(executor) ? builder.executor(Executors.newVirtualThreadPerTaskExecutor()) : builder.directExecutor();
    Server server = builder.build().start();
    System.out.println("grpc-floor server ready on 127.0.0.1:" + server.getPort());
    server.awaitTermination();
  }

  /** Answers at once with an empty response: what is left is gRPC, Netty and protobuf (and a hand-off, if asked). */
  static final class EmptyWorkflowService extends WorkflowServiceGrpc.WorkflowServiceImplBase {
    private final boolean ownThread;

    EmptyWorkflowService(boolean ownThread) {
      this.ownThread = ownThread;
    }

    private void answer(Runnable body) {
      if (ownThread) {
        Thread.ofVirtual().start(io.grpc.Context.current().wrap(body));
      } else {
        body.run();
      }
    }

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> observer) {
      answer(() -> {
        observer.onNext(GetSystemInfoResponse.getDefaultInstance());
        observer.onCompleted();
      });
    }

    @Override
    public void respondActivityTaskCompleted(RespondActivityTaskCompletedRequest request,
                                             StreamObserver<RespondActivityTaskCompletedResponse> observer) {
      answer(() -> {
        observer.onNext(RespondActivityTaskCompletedResponse.getDefaultInstance());
        observer.onCompleted();
      });
    }
  }
}
