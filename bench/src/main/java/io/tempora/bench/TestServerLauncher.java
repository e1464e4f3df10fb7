package io.tempora.bench;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Temporal's official in-memory test server (temporal-test-server) as the baseline Tempora is compared
 * against, listening on 127.0.0.1 only.
 *
 * <p>{@code io.temporal.testserver.TestServer.main} binds every interface, which we do not want on a shared
 * machine, so this builds the gRPC server itself: the same {@link TestServicesStarter} services
 * (WorkflowService, OperatorService, TestService) plus the health service, registered by the same
 * {@link GRPCServerHelper} the SDK's own launcher uses, on a Netty server bound to the loopback address.
 *
 * <p>Time skipping stays locked (off), as with the stock launcher without {@code --enable-time-skipping}:
 * timers and timeouts run in real time, which is what a throughput/latency comparison needs.
 */
@Command(
    name = "tempora-test-server",
    mixinStandardHelpOptions = true,
    description = "Runs Temporal's in-memory test server on 127.0.0.1 until killed.")
public final class TestServerLauncher implements Callable<Integer> {

  private static final String HOST = "127.0.0.1";

  @Option(names = "--port", defaultValue = "7234", description = "Port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  public static void main(String[] args) {
    System.exit(new CommandLine(new TestServerLauncher()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    // lockTimeSkipping=true: real time (see class comment); initial time 0 = use the wall clock.
    TestServicesStarter services = new TestServicesStarter(true, 0L);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(HOST, port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();

    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  try {
                    server.awaitTermination(5, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  services.close();
                },
                "test-server-shutdown"));

    // Scripts wait for exactly this line; print the bound port so --port 0 is usable too.
    System.out.println("test server ready on " + HOST + ":" + server.getPort());
    System.out.flush();
    server.awaitTermination();
    return 0;
  }
}
