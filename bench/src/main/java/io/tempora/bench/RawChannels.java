package io.tempora.bench;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few plain gRPC connections to the server, handed out round-robin. More than one because a server (Netty)
 * serves each connection on one event-loop thread: with a single connection that one thread could become the
 * limit and the bench would measure it instead of the server's work.
 */
final class RawChannels implements AutoCloseable {

  // Like the SDKs: histories and poll responses may be larger than gRPC's 4 MiB default.
  private static final int MAX_INBOUND_BYTES = 128 * 1024 * 1024;

  private final ManagedChannel[] channels;
  private final WorkflowServiceBlockingStub[] stubs;
  private final AtomicInteger next = new AtomicInteger();

  RawChannels(String target, int count) {
    channels = new ManagedChannel[count];
    stubs = new WorkflowServiceBlockingStub[count];
    for (int i = 0; i < count; i++) {
      channels[i] =
          Grpc.newChannelBuilder(target, InsecureChannelCredentials.create())
              .maxInboundMessageSize(MAX_INBOUND_BYTES)
              .build();
      stubs[i] = WorkflowServiceGrpc.newBlockingStub(channels[i]);
    }
  }

  /** The next connection's stub; callers add their own deadline per call. */
  WorkflowServiceBlockingStub stub() {
    return stubs[Math.floorMod(next.getAndIncrement(), stubs.length)];
  }

  /**
   * Reconnect now rather than after gRPC's exponential backoff (up to two minutes): after a server restart the
   * bench must see the server as soon as it is up, or the client's wait would be counted as the server's lateness.
   */
  void resetConnectBackoff() {
    for (ManagedChannel channel : channels) {
      channel.resetConnectBackoff();
    }
  }

  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : channels) {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
