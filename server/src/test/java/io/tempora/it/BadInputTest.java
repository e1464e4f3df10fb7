package io.tempora.it;

import static io.tempora.it.TemporaFixture.IDENTITY;
import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.CompleteWorkflowExecutionCommandAttributes;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.worker.Worker;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw gRPC requests: those the frontend must reject (with the right status codes and details), and protocol
 * paths that the SDK does not always exercise (eager activity dispatch).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BadInputTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture(io.tempora.common.Limits.defaults()
            .withOverrides(java.util.Map.of("system.enableActivityEagerExecution", "true")));

    static final String GREETING_TYPE = "BadInputGreeting";
    static final String RAW_WORKFLOW_TYPE = "RawWorkflow";
    static final String RAW_ACTIVITY_TYPE = "RawActivity";

    @WorkflowInterface
    public interface GreetingWorkflow {
        @WorkflowMethod(name = GREETING_TYPE)
        String greet(String name);
    }

    public static class GreetingWorkflowImpl implements GreetingWorkflow {
        @Override
        public String greet(String name) {
            return "hello " + name;
        }
    }

    // ------------------------------------------------------------------ raw request helpers

    private static WorkflowServiceBlockingStub rpc() {
        return tempora.service().blockingStub().withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private static WorkflowServiceBlockingStub longPoll() {
        return tempora.service().blockingStub().withDeadlineAfter(70, TimeUnit.SECONDS);
    }

    private static com.google.protobuf.Duration seconds(long s) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
    }

    private static TaskQueue taskQueue(String name) {
        return TaskQueue.newBuilder().setName(name).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
    }

    private static Payloads payloads(Object value) {
        return GlobalDataConverter.get().toPayloads(value).orElseThrow();
    }

    private static String decodeString(Payloads payloads) {
        return GlobalDataConverter.get().fromPayloads(0, Optional.of(payloads), String.class, String.class);
    }

    private static StartWorkflowExecutionRequest.Builder startRequest(String workflowId, String type) {
        return StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setWorkflowId(workflowId)
                .setWorkflowType(WorkflowType.newBuilder().setName(type))
                .setTaskQueue(taskQueue(tempora.taskQueue()))
                .setInput(payloads("raw"))
                .setWorkflowTaskTimeout(seconds(10))
                .setIdentity(IDENTITY)
                .setRequestId(UUID.randomUUID().toString());
    }

    private static StatusRuntimeException expectStatus(Status.Code code, ThrowingCallable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with %s", code).isNotNull();
        assertThat(e.getStatus().getCode()).as("status of %s", e).isEqualTo(code);
        return e;
    }

    private static DescribeWorkflowExecutionResponse describe(String workflowId) {
        return rpc().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build());
    }

    private static PollWorkflowTaskQueueResponse pollWorkflowTask() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            PollWorkflowTaskQueueResponse r = longPoll().pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
                    .setNamespace(NAMESPACE)
                    .setTaskQueue(taskQueue(tempora.taskQueue()))
                    .setIdentity(IDENTITY)
                    .build());
            if (!r.getTaskToken().isEmpty()) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                return fail("no workflow task on " + tempora.taskQueue());
            }
        }
    }

    private static PollActivityTaskQueueResponse pollActivityTask() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            PollActivityTaskQueueResponse r = longPoll().pollActivityTaskQueue(PollActivityTaskQueueRequest.newBuilder()
                    .setNamespace(NAMESPACE)
                    .setTaskQueue(taskQueue(tempora.taskQueue()))
                    .setIdentity(IDENTITY)
                    .build());
            if (!r.getTaskToken().isEmpty()) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                return fail("no activity task on " + tempora.taskQueue());
            }
        }
    }

    private static RespondWorkflowTaskCompletedRequest completeWorkflowTask(ByteString token, Command... commands) {
        return RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setTaskToken(token)
                .addAllCommands(List.of(commands))
                .setIdentity(IDENTITY)
                .build();
    }

    private static RespondActivityTaskCompletedRequest completeActivityTask(ByteString token, Object result) {
        return RespondActivityTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setTaskToken(token)
                .setResult(payloads(result))
                .setIdentity(IDENTITY)
                .build();
    }

    private static Command scheduleActivity(String activityId) {
        return Command.newBuilder()
                .setCommandType(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK)
                .setScheduleActivityTaskCommandAttributes(ScheduleActivityTaskCommandAttributes.newBuilder()
                        .setActivityId(activityId)
                        .setActivityType(ActivityType.newBuilder().setName(RAW_ACTIVITY_TYPE))
                        .setTaskQueue(taskQueue(tempora.taskQueue()))
                        .setInput(payloads("activity-input"))
                        .setScheduleToCloseTimeout(seconds(60))
                        .setStartToCloseTimeout(seconds(30)))
                .build();
    }

    private static Command completeWorkflow(Object result) {
        return Command.newBuilder()
                .setCommandType(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)
                .setCompleteWorkflowExecutionCommandAttributes(CompleteWorkflowExecutionCommandAttributes.newBuilder()
                        .setResult(payloads(result)))
                .build();
    }

    @org.junit.jupiter.api.Test
    void eagerActivityIsHandedBackWithTheWorkflowTaskCompletion() {
        String id = "eager-" + UUID.randomUUID();
        rpc().startWorkflowExecution(startRequest(id, RAW_WORKFLOW_TYPE).build());
        PollWorkflowTaskQueueResponse task = pollWorkflowTask();
        Command eager = scheduleActivity("eager-1").toBuilder()
                .setScheduleActivityTaskCommandAttributes(scheduleActivity("eager-1").getScheduleActivityTaskCommandAttributes().toBuilder()
                        .setRequestEagerExecution(true))
                .build();
        var response = rpc().respondWorkflowTaskCompleted(completeWorkflowTask(task.getTaskToken(), eager));
        assertThat(response.getActivityTasksCount()).isEqualTo(1);
        PollActivityTaskQueueResponse activity = response.getActivityTasks(0);
        assertThat(activity.getActivityId()).isEqualTo("eager-1");
        assertThat(activity.getAttempt()).isEqualTo(1);
        assertThat(decodeString(activity.getInput())).isEqualTo("activity-input");

        rpc().respondActivityTaskCompleted(completeActivityTask(activity.getTaskToken(), "eager-result"));
        PollWorkflowTaskQueueResponse next = pollWorkflowTask();
        rpc().respondWorkflowTaskCompleted(completeWorkflowTask(next.getTaskToken(), completeWorkflow("done")));
        var types = Histories.types(Histories.events(tempora.client(), id));
        assertThat(types).containsSubsequence(io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
                io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
                io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }

    /** Bytes that no token format can decode: a zero first byte is not even a valid protobuf tag. */
    private static ByteString malformedToken() {
        byte[] bytes = new byte[48];
        new Random(42).nextBytes(bytes);
        bytes[0] = 0;
        return ByteString.copyFrom(bytes);
    }

    // ------------------------------------------------------------------ StartWorkflowExecution validation

    @Test
    void startInUnknownNamespaceIsNotFound() {
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().startWorkflowExecution(
                startRequest(tempora.workflowId("ns"), RAW_WORKFLOW_TYPE)
                        .setNamespace("no-such-namespace-" + TemporaFixture.shortId())
                        .build()));
    }

    @Test
    void startWithEmptyWorkflowIdIsInvalid() {
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().startWorkflowExecution(
                startRequest("", RAW_WORKFLOW_TYPE).build()));
    }

    @Test
    void startWithEmptyTaskQueueIsInvalid() {
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().startWorkflowExecution(
                startRequest(tempora.workflowId("tq"), RAW_WORKFLOW_TYPE)
                        .setTaskQueue(taskQueue(""))
                        .build()));
    }

    @Test
    void startWithOverlongWorkflowIdIsInvalid() {
        String tooLong = "w".repeat(1001);
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().startWorkflowExecution(
                startRequest(tooLong, RAW_WORKFLOW_TYPE).build()));

        // 1000 characters is still fine.
        String longest = ("longest-" + TemporaFixture.shortId() + "-").concat("w".repeat(1000)).substring(0, 1000);
        StartWorkflowExecutionResponse ok = rpc().startWorkflowExecution(startRequest(longest, RAW_WORKFLOW_TYPE).build());
        assertThat(ok.getRunId()).isNotEmpty();

        // The limit counts bytes of UTF-8, as the official server's len(): 600 two-byte characters are too long.
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().startWorkflowExecution(
                startRequest("\u00e9".repeat(600), RAW_WORKFLOW_TYPE).build()));
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().startWorkflowExecution(
                startRequest(tempora.workflowId("tq-bytes"), RAW_WORKFLOW_TYPE).setTaskQueue(taskQueue("\u00e9".repeat(600))).build()));
    }

    @Test
    void startWithPayloadOverTwoMegabytesIsInvalid() {
        String id = tempora.workflowId("big");
        Payload big = Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("binary/plain"))
                .setData(ByteString.copyFrom(new byte[2_500_000]))
                .build();
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().startWorkflowExecution(
                startRequest(id, RAW_WORKFLOW_TYPE)
                        .setInput(Payloads.newBuilder().addPayloads(big))
                        .build()));

        expectStatus(Status.Code.NOT_FOUND, () -> describe(id));
    }

    @Test
    void duplicateStartIsRejectedWithRunId() throws InvalidProtocolBufferException {
        String id = tempora.workflowId("dup");
        StartWorkflowExecutionResponse first = rpc().startWorkflowExecution(startRequest(id, RAW_WORKFLOW_TYPE).build());
        assertThat(first.getRunId()).isNotEmpty();

        StatusRuntimeException e = expectStatus(Status.Code.ALREADY_EXISTS, () -> rpc().startWorkflowExecution(
                startRequest(id, RAW_WORKFLOW_TYPE).setRequestId(UUID.randomUUID().toString()).build()));

        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("rich status (grpc-status-details-bin) on ALREADY_EXISTS").isNotNull();
        Any detail = status.getDetailsList().stream()
                .filter(any -> any.is(WorkflowExecutionAlreadyStartedFailure.class))
                .findFirst()
                .orElse(null);
        assertThat(detail).as("WorkflowExecutionAlreadyStartedFailure detail in %s", status.getDetailsList())
                .isNotNull();
        WorkflowExecutionAlreadyStartedFailure failure = detail.unpack(WorkflowExecutionAlreadyStartedFailure.class);
        assertThat(failure.getRunId()).isEqualTo(first.getRunId());

        assertThat(describe(id).getWorkflowExecutionInfo().getExecution().getRunId()).isEqualTo(first.getRunId());
    }

    @Test
    void duplicateStartThroughSdkThrowsWorkflowExecutionAlreadyStarted() {
        String id = tempora.workflowId("dup-sdk");
        GreetingWorkflow first = tempora.client().newWorkflowStub(GreetingWorkflow.class, tempora.options(id));
        WorkflowExecution firstExecution = WorkflowClient.start(first::greet, "one");

        GreetingWorkflow second = tempora.client().newWorkflowStub(GreetingWorkflow.class, tempora.options(id));
        WorkflowExecutionAlreadyStarted e = catchThrowableOfType(WorkflowExecutionAlreadyStarted.class,
                () -> WorkflowClient.start(second::greet, "two"));

        assertThat(e).as("second start of a running workflow id").isNotNull();
        assertThat(e.getExecution().getWorkflowId()).isEqualTo(id);
        assertThat(e.getExecution().getRunId()).isEqualTo(firstExecution.getRunId());
    }

    @Test
    void sameRequestIdTwiceReturnsSameRunId() {
        String id = tempora.workflowId("idem");
        StartWorkflowExecutionRequest request = startRequest(id, RAW_WORKFLOW_TYPE).build();

        StartWorkflowExecutionResponse first = rpc().startWorkflowExecution(request);
        StartWorkflowExecutionResponse again = rpc().startWorkflowExecution(request);

        assertThat(first.getRunId()).isNotEmpty();
        assertThat(again.getRunId()).isEqualTo(first.getRunId());
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)).isEqualTo(1);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ task tokens

    @Test
    void malformedTaskTokensAreInvalid() {
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().respondWorkflowTaskCompleted(
                completeWorkflowTask(malformedToken(), completeWorkflow("x"))));
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().respondActivityTaskCompleted(
                completeActivityTask(malformedToken(), "x")));
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().respondWorkflowTaskCompleted(
                completeWorkflowTask(ByteString.EMPTY, completeWorkflow("x"))));
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().respondActivityTaskCompleted(
                completeActivityTask(ByteString.EMPTY, "x")));
    }

    @Test
    void staleTaskTokensAreRejectedWithNotFound() {
        String id = tempora.workflowId("stale");
        StartWorkflowExecutionResponse started =
                rpc().startWorkflowExecution(startRequest(id, RAW_WORKFLOW_TYPE).build());

        // First workflow task: schedule one activity.
        PollWorkflowTaskQueueResponse wft1 = pollWorkflowTask();
        assertThat(wft1.getWorkflowExecution().getWorkflowId()).isEqualTo(id);
        assertThat(wft1.getWorkflowExecution().getRunId()).isEqualTo(started.getRunId());
        assertThat(wft1.getWorkflowType().getName()).isEqualTo(RAW_WORKFLOW_TYPE);
        assertThat(Histories.types(wft1.getHistory().getEventsList())).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
        assertThat(wft1.getStartedEventId()).isEqualTo(3);
        rpc().respondWorkflowTaskCompleted(completeWorkflowTask(wft1.getTaskToken(), scheduleActivity("act-1")));

        // The same workflow task completed again: the task is gone.
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().respondWorkflowTaskCompleted(
                completeWorkflowTask(wft1.getTaskToken(), scheduleActivity("act-2"))));

        // The activity task.
        PollActivityTaskQueueResponse at = pollActivityTask();
        assertThat(at.getActivityId()).isEqualTo("act-1");
        assertThat(at.getActivityType().getName()).isEqualTo(RAW_ACTIVITY_TYPE);
        assertThat(at.getWorkflowExecution().getWorkflowId()).isEqualTo(id);
        assertThat(at.getAttempt()).isEqualTo(1);
        assertThat(decodeString(at.getInput())).isEqualTo("activity-input");
        rpc().respondActivityTaskCompleted(completeActivityTask(at.getTaskToken(), "activity-result"));

        // Completing the same activity task twice: NOT_FOUND.
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().respondActivityTaskCompleted(
                completeActivityTask(at.getTaskToken(), "second-result")));

        // Second workflow task sees the activity result; complete the workflow.
        PollWorkflowTaskQueueResponse wft2 = pollWorkflowTask();
        assertThat(wft2.getPreviousStartedEventId()).isEqualTo(3);
        assertThat(wft2.getStartedEventId()).isEqualTo(9);
        List<HistoryEvent> seen = wft2.getHistory().getEventsList();
        assertThat(Histories.types(seen)).containsExactlyElementsOf(Histories.ONE_ACTIVITY_HISTORY.subList(0, 9));
        assertThat(decodeString(seen.get(6).getActivityTaskCompletedEventAttributes().getResult()))
                .isEqualTo("activity-result");
        rpc().respondWorkflowTaskCompleted(completeWorkflowTask(wft2.getTaskToken(), completeWorkflow("done")));

        // And after the workflow closed, its old workflow task token is stale as well.
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().respondWorkflowTaskCompleted(
                completeWorkflowTask(wft2.getTaskToken(), completeWorkflow("again"))));

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(Histories.types(events)).containsExactlyElementsOf(Histories.ONE_ACTIVITY_HISTORY);
        Histories.assertCompletedWithActivities(id, events, 1);
        assertThat(decodeString(events.get(10).getWorkflowExecutionCompletedEventAttributes().getResult()))
                .isEqualTo("done");
        assertThat(describe(id).getWorkflowExecutionInfo().getStatus())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    }

    @Test
    void twoCompleteCommandsAreInvalidAndWorkflowStillCompletesLater() throws Exception {
        String id = tempora.workflowId("two-completes");
        StartWorkflowExecutionResponse started = rpc().startWorkflowExecution(startRequest(id, GREETING_TYPE)
                .setWorkflowTaskTimeout(seconds(2))
                .build());

        PollWorkflowTaskQueueResponse wft = pollWorkflowTask();
        assertThat(wft.getWorkflowExecution().getRunId()).isEqualTo(started.getRunId());
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().respondWorkflowTaskCompleted(
                completeWorkflowTask(wft.getTaskToken(), completeWorkflow("bad-1"), completeWorkflow("bad-2"))));

        assertThat(describe(id).getWorkflowExecutionInfo().getStatus())
                .as("a rejected completion must not close the workflow")
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);

        // A real worker picks the workflow up (after the workflow task is failed or times out) and completes it.
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class);
        tempora.startWorkers();
        String result = tempora.client().newUntypedWorkflowStub(id).getResult(30, TimeUnit.SECONDS, String.class);

        assertThat(result).isEqualTo("hello raw");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.types(events))
                .containsOnlyOnce(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        assertThat(decodeString(events.get(events.size() - 1).getWorkflowExecutionCompletedEventAttributes()
                .getResult())).isEqualTo("hello raw");
    }
}
