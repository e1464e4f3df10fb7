package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.TerminatedFailure;
import io.temporal.internal.retryer.GrpcMessageTooLargeException;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Message and payload sizes as the official server limits them: gRPC messages over 4 MiB are refused with the
 * status the SDKs recognize, a command over the blob limit fails its workflow task and terminates the run, and a
 * huge error message is truncated instead of breaking the call.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MessageSizeTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final int MB = 1024 * 1024;

    @ActivityInterface
    public interface Sink {
        int size(String input);
    }

    public static class SinkImpl implements Sink {
        @Override
        public int size(String input) {
            return input.length();
        }
    }

    @WorkflowInterface
    public interface Producer {
        @WorkflowMethod
        String run(String mode);

        @QueryMethod
        String explode();
    }

    public static class ProducerImpl implements Producer {
        @Override
        public String run(String mode) {
            switch (mode) {
                case "big-result" -> {
                    return "x".repeat(2 * MB + 100_000);
                }
                case "big-task" -> {
                    // Three activities of 1.5 MB each: every input is under the blob limit, the completion is not under 4 MB.
                    Sink sink = Workflow.newActivityStub(Sink.class,
                            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
                    List<Promise<Integer>> sizes = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        sizes.add(Async.function(sink::size, String.valueOf(i).repeat(MB + MB / 2)));
                    }
                    return String.valueOf(sizes.stream().mapToInt(Promise::get).sum());
                }
                default -> {
                    Workflow.sleep(Duration.ofHours(1));
                    return "slept";
                }
            }
        }

        @Override
        public String explode() {
            throw new IllegalStateException("boom ".repeat(10_000));
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(ProducerImpl.class);
        worker.registerActivitiesImplementations(new SinkImpl());
        tempora.startWorkers();
    }

    private WorkflowStub start(String id, String mode) {
        Producer p = tempora.client().newWorkflowStub(Producer.class, tempora.options(id));
        WorkflowClient.start(p::run, mode);
        return WorkflowStub.fromTyped(p);
    }

    @Test
    void messageOverFourMegabytesIsRefusedAsTheSdksExpect() {
        String id = tempora.workflowId("huge-signal");
        start(id, "sleep");
        var request = SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .setSignalName("nothing")
                .setInput(GlobalDataConverter.get().toPayloads("y".repeat(5 * MB)).orElseThrow())
                .build();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> tempora.service().blockingStub().signalWorkflowExecution(request));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).startsWith("grpc: received message larger than max (");
        assertThat(GrpcMessageTooLargeException.tryWrap(e)).as("the SDK recognizes it").isNotNull();
        assertThat(Histories.types(Histories.events(tempora.client(), id))).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    }

    @Test
    void resultOverTheBlobLimitFailsTheTaskAndTerminatesTheRun() {
        String id = tempora.workflowId("big-result");
        WorkflowStub stub = start(id, "big-result");
        WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
                () -> stub.getResult(30, TimeUnit.SECONDS, String.class));
        assertThat(failed.getCause()).isInstanceOf(TerminatedFailure.class);

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        List<EventType> types = Histories.types(events);
        assertThat(types.subList(types.size() - 2, types.size())).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        var taskFailed = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).getLast().getWorkflowTaskFailedEventAttributes();
        // The official server reports this one with the schedule-activity cause.
        assertThat(taskFailed.getCause()).isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES);
        var terminated = events.getLast().getWorkflowExecutionTerminatedEventAttributes();
        assertThat(terminated.getReason())
                .isEqualTo("BadScheduleActivityAttributes: CompleteWorkflowExecutionCommandAttributes.Result exceeds size limit.");
        assertThat(terminated.getIdentity()).isEqualTo("history-service");
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).isEqualTo(1);
    }

    @Test
    void workflowTaskCompletionOverFourMegabytesTerminatesTheRun() {
        String id = tempora.workflowId("big-task");
        WorkflowStub stub = start(id, "big-task");
        WorkflowFailedException failed = catchThrowableOfType(WorkflowFailedException.class,
                () -> stub.getResult(30, TimeUnit.SECONDS, String.class));
        assertThat(failed.getCause()).isInstanceOf(TerminatedFailure.class);
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        var taskFailed = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).getLast().getWorkflowTaskFailedEventAttributes();
        assertThat(taskFailed.getCause()).isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND);
        var terminated = events.getLast().getWorkflowExecutionTerminatedEventAttributes();
        assertThat(terminated.getReason()).isEqualTo("GrpcMessageTooLarge");
        assertThat(terminated.getIdentity()).isEqualTo("history-service");
        assertThat(Histories.count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).isZero();
    }

    @Test
    void hugeQueryErrorMessageIsTruncatedNotABrokenCall() {
        String id = tempora.workflowId("query-error");
        WorkflowStub stub = start(id, "sleep");
        WorkflowQueryException e = catchThrowableOfType(WorkflowQueryException.class, () -> stub.query("explode", String.class));
        assertThat(e).as("the query fails with the worker's error").isNotNull();
        StatusRuntimeException status = (StatusRuntimeException) rootStatus(e);
        assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getStatus().getDescription()).hasSizeLessThanOrEqualTo(4000).endsWith("... <truncated>");
        stub.terminate("done");
    }

    private static Throwable rootStatus(Throwable t) {
        while (t != null && !(t instanceof StatusRuntimeException)) {
            t = t.getCause();
        }
        return t;
    }

    @Test
    void limitsFollowTheOfficialDynamicConfigKeys() throws Exception {
        try (TemporaProcess server = TemporaProcess.create("limits").withArgs(
                "--dynamic-config-value", "limit.blobSize.error=2048",
                "--dynamic-config-value", "tempora.grpcMaxMessageSize=65536")) {
            server.start();
            io.temporal.serviceclient.WorkflowServiceStubs stubs = TemporaFixture.newStubs(server.target());
            try {
                java.util.function.IntFunction<SignalWorkflowExecutionRequest> signalOf = size -> SignalWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE)
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId("no-such-workflow"))
                        .setSignalName("s").setRequestId(java.util.UUID.randomUUID().toString())
                        .setInput(GlobalDataConverter.get().toPayloads("y".repeat(size)).orElseThrow())
                        .build();
                // Under both limits: the call gets through to the lookup.
                StatusRuntimeException small = catchThrowableOfType(StatusRuntimeException.class,
                        () -> stubs.blockingStub().signalWorkflowExecution(signalOf.apply(100)));
                assertThat(small.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                // Over the blob limit of 2 KB.
                StatusRuntimeException blob = catchThrowableOfType(StatusRuntimeException.class,
                        () -> stubs.blockingStub().signalWorkflowExecution(signalOf.apply(3000)));
                assertThat(blob.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(blob.getStatus().getDescription()).isEqualTo("Blob data size exceeds limit.");
                // Over the 64 KB message limit.
                StatusRuntimeException message = catchThrowableOfType(StatusRuntimeException.class,
                        () -> stubs.blockingStub().signalWorkflowExecution(signalOf.apply(100_000)));
                assertThat(message.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(message.getStatus().getDescription()).startsWith("grpc: received message larger than max (");
            } finally {
                TemporaFixture.closeStubs(stubs);
            }
        }
    }
}
