package io.tempora.it;

import static io.tempora.it.TemporaFixture.IDENTITY;
import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.tempora.common.proto.admin.DescribeServerRequest;
import io.tempora.common.proto.admin.DescribeServerResponse;
import io.tempora.frontend.admin.AdminMethods;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.CompleteWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many open timers do not live in memory: 20,000 workflows sleep an hour and a few sleep seconds; the server is
 * SIGKILLed and restarted on the same data; the short timers fire, and at no point does the server hold more timers
 * in memory than its bound (the far ones stay in the database until their look-ahead window comes).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ManyTimersRestartTest {
    private static final int LONG_SLEEPERS = 20_000;
    private static final int SHORT_SLEEPERS = 20;
    private static final int MAX_LOADED = 500;

    private static Command timer(long seconds) {
        return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_START_TIMER)
                .setStartTimerCommandAttributes(StartTimerCommandAttributes.newBuilder().setTimerId("t")
                        .setStartToFireTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(seconds))).build();
    }

    private static Command complete() {
        return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
                .setCompleteWorkflowExecutionCommandAttributes(CompleteWorkflowExecutionCommandAttributes.getDefaultInstance()).build();
    }

    /** A minimal worker: a first task starts the workflow's timer (by its id), a TimerFired task completes it. */
    private static final class TimerWorker implements AutoCloseable {
        private final ExecutorService pollers = Executors.newFixedThreadPool(8);
        private final AtomicBoolean stopped = new AtomicBoolean();
        final AtomicInteger armed = new AtomicInteger();
        final Set<String> completed = ConcurrentHashMap.newKeySet();

        TimerWorker(WorkflowServiceGrpc.WorkflowServiceBlockingStub stub, String queue) {
            for (int i = 0; i < 8; i++) {
                pollers.execute(() -> {
                    while (!stopped.get()) {
                        try {
                            PollWorkflowTaskQueueResponse task = stub.withDeadlineAfter(30, TimeUnit.SECONDS).pollWorkflowTaskQueue(
                                    PollWorkflowTaskQueueRequest.newBuilder().setNamespace(NAMESPACE)
                                            .setTaskQueue(TaskQueue.newBuilder().setName(queue)).setIdentity(IDENTITY).build());
                            if (task.getTaskToken().isEmpty()) {
                                continue;
                            }
                            List<HistoryEvent> events = task.getHistory().getEventsList();
                            boolean fired = events.stream().anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED);
                            String id = task.getWorkflowExecution().getWorkflowId();
                            Command next = fired ? complete() : timer(id.startsWith("short") ? 8 : 3_600);
                            stub.withDeadlineAfter(30, TimeUnit.SECONDS).respondWorkflowTaskCompleted(RespondWorkflowTaskCompletedRequest.newBuilder()
                                    .setNamespace(NAMESPACE).setTaskToken(task.getTaskToken()).addCommands(next).setIdentity(IDENTITY).build());
                            if (fired) {
                                completed.add(id);
                            } else {
                                armed.incrementAndGet();
                            }
                        } catch (io.grpc.StatusRuntimeException e) {
                            sleepQuietly(); // the server is restarting, or the task went stale: poll again
                        }
                    }
                });
            }
        }

        private static void sleepQuietly() {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            stopped.set(true);
            pollers.shutdownNow();
        }
    }

    private static DescribeServerResponse memory(ManagedChannel channel) {
        return ClientCalls.blockingUnaryCall(channel, AdminMethods.DESCRIBE_SERVER, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                DescribeServerRequest.getDefaultInstance());
    }

    @Test
    void openTimersStayInTheDatabaseAndShortOnesFireAfterAKill() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("timers").withArgs(
                "--dynamic-config-value", "tempora.queueMaxLoadedTasks=" + MAX_LOADED,
                "--dynamic-config-value", "tempora.timerLookAheadSeconds=60")) {
            server.start();
            String queue = "timers-" + TemporaFixture.shortId();
            ManagedChannel channel = NettyChannelBuilder.forTarget(server.target()).usePlaintext().build();
            var stub = WorkflowServiceGrpc.newBlockingStub(channel);
            AtomicInteger maxLoadedTimers = new AtomicInteger();
            try (TimerWorker worker = new TimerWorker(stub, queue)) {
                ExecutorService starters = Executors.newFixedThreadPool(8);
                AtomicInteger failures = new AtomicInteger();
                for (int i = 0; i < LONG_SLEEPERS + SHORT_SLEEPERS; i++) {
                    String id = (i < LONG_SLEEPERS ? "long-" : "short-") + i; // the short ones last: armed just before the kill
                    starters.execute(() -> {
                        try {
                            stub.withDeadlineAfter(60, TimeUnit.SECONDS).startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                                    .setNamespace(NAMESPACE).setWorkflowId(id).setWorkflowType(WorkflowType.newBuilder().setName("Sleeper"))
                                    .setTaskQueue(TaskQueue.newBuilder().setName(queue)).setIdentity(IDENTITY)
                                    .setRequestId(UUID.randomUUID().toString()).build());
                        } catch (io.grpc.StatusRuntimeException e) {
                            failures.incrementAndGet();
                        }
                    });
                }
                starters.shutdown();
                assertThat(starters.awaitTermination(240, TimeUnit.SECONDS)).isTrue();
                assertThat(failures.get()).as("failed starts").isZero();
                Awaitility.await().atMost(Duration.ofSeconds(200)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    maxLoadedTimers.accumulateAndGet((int) memory(channel).getLoadedTimerTasks(), Math::max);
                    return worker.armed.get() >= LONG_SLEEPERS + SHORT_SLEEPERS;
                });

                assertThat(worker.completed).as("no short timer fired before the kill").isEmpty();
                server.kill(); // the short timers are armed and due in a few seconds
                server.start();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    maxLoadedTimers.accumulateAndGet((int) memory(channel).getLoadedTimerTasks(), Math::max);
                    return worker.completed.size() == SHORT_SLEEPERS;
                });
                assertThat(worker.completed).as("only the short sleepers woke up").allMatch(id -> id.startsWith("short-"));
                // What is loaded now are timers due within the look-ahead (recent workflow task timeouts), not the hour-long ones.
                assertThat(memory(channel).getLoadedTimerTasks()).isLessThanOrEqualTo(4L * MAX_LOADED);
            } finally {
                channel.shutdownNow();
            }
            assertThat(maxLoadedTimers.get()).as("timers ever held in memory (bound %d per shard queue)", MAX_LOADED)
                    .isLessThanOrEqualTo(4 * MAX_LOADED);
        }
    }
}
