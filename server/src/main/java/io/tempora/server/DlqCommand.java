package io.tempora.server;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.tempora.common.proto.admin.DeadLetter;
import io.tempora.common.proto.admin.DeadLetterFailure;
import io.tempora.common.proto.admin.DeadLetterRef;
import io.tempora.common.proto.admin.DeadLettersRequest;
import io.tempora.common.proto.admin.DeadLettersResponse;
import io.tempora.common.proto.admin.ListDeadLettersRequest;
import io.tempora.frontend.admin.AdminMethods;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tempora dlq}: the history task dead-letter queue of a running server (list, re-run, purge). */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "Inspect, re-run or purge history tasks that kept failing.",
        subcommands = {DlqCommand.ListTasks.class, DlqCommand.Rerun.class, DlqCommand.Purge.class})
final class DlqCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    abstract static class ServerCall implements Callable<Integer> {
        @Option(names = "--address", defaultValue = "127.0.0.1:7233", description = "The server's gRPC address (default: ${DEFAULT-VALUE}).")
        String address;

        <T> T call(java.util.function.Function<ManagedChannel, T> action) {
            ManagedChannel channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
            try {
                return action.apply(channel);
            } catch (StatusRuntimeException e) {
                throw new IllegalStateException(e.getStatus().getCode() + ": " + e.getStatus().getDescription(), e);
            } finally {
                channel.shutdownNow();
                try {
                    channel.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List dead-lettered tasks.")
    static final class ListTasks extends ServerCall {
        @Option(names = "--shard", defaultValue = "0", description = "Only this shard (default: all).")
        int shard;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            var response = call(ch -> ClientCalls.blockingUnaryCall(ch, AdminMethods.LIST_DEAD_LETTERS, io.grpc.CallOptions.DEFAULT,
                    ListDeadLettersRequest.newBuilder().setShardId(shard).setPageSize(limit).build()));
            if (response.getDeadLettersCount() == 0) {
                System.out.println("no dead-lettered tasks");
            }
            for (DeadLetter d : response.getDeadLettersList()) {
                System.out.println(describe(d.getRef()) + "  attempts=" + d.getAttempts() + "  added=" + java.time.Instant.ofEpochMilli(d.getAddedTimeMs()));
                System.out.println("    task:  " + d.getTask());
                System.out.println("    error: " + d.getLastError());
            }
            return 0;
        }
    }

    /** Selects tasks by shard, category and task id (and fire time for timers), or --all. */
    abstract static class Selection extends ServerCall {
        @Option(names = "--all", description = "Every dead-lettered task.")
        boolean all;

        @Option(names = "--shard", description = "The task's shard.")
        int shard;

        @Option(names = "--category", defaultValue = "transfer", description = "transfer or timer (default: ${DEFAULT-VALUE}).")
        String category;

        @Option(names = "--task-id", description = "The task's id.")
        long taskId;

        @Option(names = "--fire-time", defaultValue = "0", description = "A timer task's fire time (ms since the epoch).")
        long fireTime;

        DeadLettersRequest request() {
            if (all) {
                return DeadLettersRequest.newBuilder().setAll(true).build();
            }
            if (shard <= 0 || taskId == 0) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "give --shard and --task-id, or --all");
            }
            return DeadLettersRequest.newBuilder().addRefs(DeadLetterRef.newBuilder().setShardId(shard).setCategory(category)
                    .setFireTimeMs(fireTime).setTaskId(taskId)).build();
        }

        int report(String verb, DeadLettersResponse response) {
            for (DeadLetterRef ref : response.getDoneList()) {
                System.out.println(verb + " " + describe(ref));
            }
            for (DeadLetterFailure f : response.getFailedList()) {
                System.out.println("failed " + describe(f.getRef()) + ": " + f.getError());
            }
            return response.getFailedCount() == 0 ? 0 : 1;
        }
    }

    @Command(name = "rerun", mixinStandardHelpOptions = true, description = "Run dead-lettered tasks again; those that succeed leave the queue.")
    static final class Rerun extends Selection {
        @Override
        public Integer call() {
            DeadLettersRequest request = request();
            return report("re-ran", call(ch -> ClientCalls.blockingUnaryCall(ch, AdminMethods.RERUN_DEAD_LETTERS, io.grpc.CallOptions.DEFAULT, request)));
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete dead-lettered tasks without running them.")
    static final class Purge extends Selection {
        @Override
        public Integer call() {
            DeadLettersRequest request = request();
            return report("purged", call(ch -> ClientCalls.blockingUnaryCall(ch, AdminMethods.PURGE_DEAD_LETTERS, io.grpc.CallOptions.DEFAULT, request)));
        }
    }

    static String describe(DeadLetterRef ref) {
        return "shard " + ref.getShardId() + " " + ref.getCategory() + " task " + ref.getTaskId()
                + (ref.getFireTimeMs() != 0 ? " (fire time " + ref.getFireTimeMs() + ")" : "");
    }
}
