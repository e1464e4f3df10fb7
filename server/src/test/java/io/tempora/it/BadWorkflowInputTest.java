package io.tempora.it;

import static io.tempora.it.RawRequests.completion;
import static io.tempora.it.RawRequests.expectStatus;
import static io.tempora.it.RawRequests.payloads;
import static io.tempora.it.RawRequests.seconds;
import static io.tempora.it.TemporaFixture.IDENTITY;
import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.grpc.Status;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.ProtocolMessageCommandAttributes;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.common.v1.ActivityType;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.errordetails.v1.ResourceExhaustedFailure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.protocol.v1.Message;
import io.temporal.api.taskqueue.v1.StickyExecutionAttributes;
import io.temporal.api.update.v1.Acceptance;
import io.temporal.api.update.v1.Input;
import io.temporal.api.update.v1.Meta;
import io.temporal.api.update.v1.Outcome;
import io.temporal.api.update.v1.Request;
import io.temporal.api.update.v1.Response;
import io.temporal.api.update.v1.WaitPolicy;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workers and clients that send what the official server refuses or bounds: unknown causes and command types,
 * malformed protocol messages, out-of-range durations, reserved or oversized task queue names, huge terminate
 * details, histories past their limit, too many updates. Each gets the official answer, never INTERNAL.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BadWorkflowInputTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture(io.tempora.common.Limits.defaults().withOverrides(Map.of(
            "limit.historyCount.error", "60",
            "history.maxInFlightUpdates", "2",
            "history.maxTotalUpdates", "2")));

    private final RawRequests raw = new RawRequests(tempora);
    /** Update calls that block get their own threads (the common pool may have one thread here). */
    private static final java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "update-caller");
        t.setDaemon(true);
        return t;
    });

    private String id(String prefix) {
        return tempora.workflowId(prefix);
    }

    private static Command command(CommandType type) {
        return Command.newBuilder().setCommandType(type).build();
    }

    private static HistoryEvent last(List<HistoryEvent> events, EventType type) {
        return events.stream().filter(e -> e.getEventType() == type).reduce((a, b) -> b).orElseThrow();
    }

    private WorkflowExecutionStatus status(String workflowId) {
        return raw.rpc().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build()).getWorkflowExecutionInfo().getStatus();
    }

    @Test
    void aWorkflowTaskFailureWithACauseThisServerDoesNotKnowIsRecordedAsSent() {
        String id = id("unknown-cause");
        PollWorkflowTaskQueueResponse task = raw.startAndPoll(id);
        raw.rpc().respondWorkflowTaskFailed(RespondWorkflowTaskFailedRequest.newBuilder().setNamespace(NAMESPACE)
                .setTaskToken(task.getTaskToken()).setCauseValue(999).setIdentity(IDENTITY).build());
        HistoryEvent failed = last(raw.history(id), EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
        assertThat(failed.getWorkflowTaskFailedEventAttributes().getCauseValue()).isEqualTo(999);
    }

    @Test
    void anUnknownCommandTypeIsInvalidArgumentAndRecordsNothing() {
        String id = id("unknown-command");
        PollWorkflowTaskQueueResponse task = raw.startAndPoll(id);
        var e = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(
                completion(task.getTaskToken(), command(CommandType.COMMAND_TYPE_UNSPECIFIED)).build()));
        assertThat(e.getStatus().getDescription()).isEqualTo("unknown command type: Unspecified");
        var e2 = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(
                completion(task.getTaskToken(), Command.newBuilder().setCommandTypeValue(999).build()).build()));
        assertThat(e2.getStatus().getDescription()).isEqualTo("unknown command type: 999");
        assertThat(raw.history(id)).extracting(HistoryEvent::getEventType).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
                EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    }

    @Test
    void malformedProtocolMessagesAreRefusedWithTheOfficialAnswers() {
        String id = id("bad-messages");
        PollWorkflowTaskQueueResponse task = raw.startAndPoll(id);
        var noBody = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(completion(task.getTaskToken())
                .addMessages(Message.newBuilder().setId("m1").setProtocolInstanceId("u1")).build()));
        assertThat(noBody.getStatus().getDescription()).isEqualTo("nil message body");

        var absent = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(completion(task.getTaskToken(),
                Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE)
                        .setProtocolMessageCommandAttributes(ProtocolMessageCommandAttributes.newBuilder().setMessageId("nope")).build()).build()));
        assertThat(absent.getStatus().getDescription())
                .isEqualTo("BadUpdateWorkflowExecutionMessage: ProtocolMessageCommand referenced absent message ID nope");
        assertThat(last(raw.history(id), EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED).getWorkflowTaskFailedEventAttributes().getCause())
                .isEqualTo(WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE);

        PollWorkflowTaskQueueResponse retry = raw.pollWorkflowTask();
        Message response = Message.newBuilder().setId("m2").setProtocolInstanceId("ghost").setBody(Any.pack(Response.newBuilder()
                .setMeta(Meta.newBuilder().setUpdateId("ghost")).setOutcome(Outcome.newBuilder().setSuccess(payloads("x"))).build())).build();
        var ghost = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(
                completion(retry.getTaskToken()).addMessages(response).build()));
        assertThat(ghost.getStatus().getDescription()).contains("update ghost wasn't found on the server");
    }

    @Test
    void durationsOutOfRangeAreCappedOrRefusedAsTheOfficialServerDoes() {
        String capped = id("huge-timeout");
        raw.rpc().startWorkflowExecution(raw.startRequest(capped, "RawWorkflow")
                .setWorkflowExecutionTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(Long.MAX_VALUE / 2)).build());
        var config = raw.rpc().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(capped)).build()).getExecutionConfig();
        assertThat(config.getWorkflowExecutionTimeout().getSeconds()).as("capped at 100 years").isEqualTo(100L * 365 * 24 * 3600);

        var negative = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().startWorkflowExecution(raw.startRequest(id("neg"), "RawWorkflow")
                .setWorkflowRunTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(-5)).build()));
        assertThat(negative.getStatus().getDescription()).isEqualTo("An invalid WorkflowRunTimeoutSeconds is set on request. cause: negative duration");

        String timerRun = id("bad-timer");
        PollWorkflowTaskQueueResponse task = raw.startAndPoll(timerRun);
        var badTimer = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(completion(task.getTaskToken(),
                Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_START_TIMER).setStartTimerCommandAttributes(
                        StartTimerCommandAttributes.newBuilder().setTimerId("t")
                                .setStartToFireTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(-5))).build()).build()));
        assertThat(badTimer.getStatus().getDescription()).isEqualTo("BadStartTimerAttributes: An invalid "
                + "StartToFireTimeout is set on StartTimerCommand: duration has seconds and nanos with different signs. TimerId=t");
    }

    @Test
    void reservedAndOversizedTaskQueueNamesAreRefused() {
        String id = id("bad-queues");
        PollWorkflowTaskQueueResponse task = raw.startAndPoll(id);
        var reserved = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(completion(task.getTaskToken(),
                Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK).setScheduleActivityTaskCommandAttributes(
                        ScheduleActivityTaskCommandAttributes.newBuilder().setActivityId("a1").setActivityType(ActivityType.newBuilder().setName("A"))
                                .setTaskQueue(RawRequests.taskQueue("/_sys/mine")).setStartToCloseTimeout(seconds(10))).build()).build()));
        assertThat(reserved.getStatus().getDescription()).isEqualTo("BadScheduleActivityAttributes: invalid "
                + "TaskQueue: task queue name cannot start with reserved prefix /_sys/. ActivityId=a1 ActivityType=A");

        PollWorkflowTaskQueueResponse retry = raw.pollWorkflowTask();
        var sticky = expectStatus(Status.Code.INVALID_ARGUMENT, () -> raw.rpc().respondWorkflowTaskCompleted(completion(retry.getTaskToken())
                .setStickyAttributes(StickyExecutionAttributes.newBuilder().setWorkerTaskQueue(RawRequests.taskQueue("s".repeat(1001)))
                        .setScheduleToStartTimeout(seconds(5))).build()));
        assertThat(sticky.getStatus().getDescription()).isEqualTo("taskQueue length exceeds limit");
    }

    @Test
    void terminateDetailsLargerThanTheBlobLimitAreAcceptedAsOnTheOfficialServer() {
        String id = id("big-terminate");
        raw.rpc().startWorkflowExecution(raw.startRequest(id, "RawWorkflow").build());
        Payloads details = payloads("x".repeat(3 * 1024 * 1024));
        raw.rpc().terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).setReason("big").setDetails(details).build());
        assertThat(status(id)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    }

    @Test
    void aRunPastTheHistoryCountLimitIsTerminated() {
        String id = id("long-history");
        PollWorkflowTaskQueueResponse task = raw.startAndPoll(id);
        raw.rpc().respondWorkflowTaskCompleted(completion(task.getTaskToken()).build());
        io.grpc.StatusRuntimeException refused = null;
        for (int i = 0; i < 100 && refused == null; i++) {
            try {
                raw.rpc().signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                        .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).setSignalName("s").setIdentity(IDENTITY)
                        .setRequestId(UUID.randomUUID().toString()).build());
            } catch (io.grpc.StatusRuntimeException e) {
                refused = e;
            }
        }
        assertThat(refused).as("a signal past the limit (limit.historyCount.error 60)").isNotNull();
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getStatus().getDescription()).isEqualTo("Workflow history count exceeds limit.");
        List<HistoryEvent> events = raw.history(id);
        HistoryEvent terminated = events.getLast();
        assertThat(terminated.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        assertThat(terminated.getWorkflowExecutionTerminatedEventAttributes().getReason()).isEqualTo("Workflow history count exceeds limit.");
        assertThat(terminated.getWorkflowExecutionTerminatedEventAttributes().getIdentity()).isEqualTo("history-service");
        assertThat(events.size()).isLessThanOrEqualTo(61);
    }

    private CompletableFuture<Void> updateAsync(String workflowId, String updateId) {
        return CompletableFuture.runAsync(() -> {
            try {
                tempora.service().blockingStub().withDeadlineAfter(60, TimeUnit.SECONDS).updateWorkflowExecution(update(workflowId, updateId));
            } catch (io.grpc.StatusRuntimeException ignored) {
                // the test ends before anyone answers
            }
        }, callers);
    }

    private static UpdateWorkflowExecutionRequest update(String workflowId, String updateId) {
        return UpdateWorkflowExecutionRequest.newBuilder().setNamespace(NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setWaitPolicy(WaitPolicy.newBuilder().setLifecycleStage(UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED))
                .setRequest(Request.newBuilder().setMeta(Meta.newBuilder().setUpdateId(updateId).setIdentity(IDENTITY))
                        .setInput(Input.newBuilder().setName("u"))).build();
    }

    private void awaitInFlight(String workflowId, String updateId) throws Exception {
        // An update id that is already admitted is deduplicated, never refused: poll until this one is.
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                tempora.service().blockingStub().withDeadlineAfter(200, TimeUnit.MILLISECONDS).updateWorkflowExecution(update(workflowId, updateId));
            } catch (io.grpc.StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                    return; // admitted and waiting
                }
            }
            Thread.sleep(50);
        }
    }

    @Test
    void updatesBeyondTheInFlightOrTotalLimitAreRefused() throws Exception {
        String busy = id("updates-in-flight");
        raw.rpc().respondWorkflowTaskCompleted(completion(raw.startAndPoll(busy, busy).getTaskToken()).build());
        updateAsync(busy, "a");
        awaitInFlight(busy, "a");
        updateAsync(busy, "b");
        awaitInFlight(busy, "b");
        var tooMany = expectStatus(Status.Code.RESOURCE_EXHAUSTED, () -> raw.rpc().updateWorkflowExecution(update(busy, "c")));
        assertThat(tooMany.getStatus().getDescription()).isEqualTo("limit on number of concurrent in-flight updates has been reached (2)");
        var detail = io.grpc.protobuf.StatusProto.fromThrowable(tooMany).getDetails(0).unpack(ResourceExhaustedFailure.class);
        assertThat(detail.getCause()).isEqualTo(io.temporal.api.enums.v1.ResourceExhaustedCause.RESOURCE_EXHAUSTED_CAUSE_CONCURRENT_LIMIT);

        String used = id("updates-total");
        raw.rpc().respondWorkflowTaskCompleted(completion(raw.startAndPoll(used, used).getTaskToken()).build());
        CompletableFuture<Void> first = updateAsync(used, "u1");
        PollWorkflowTaskQueueResponse task = raw.pollWorkflowTask(used);
        Message request = task.getMessagesList().getFirst();
        Message accept = Message.newBuilder().setId("acc").setProtocolInstanceId("u1").setBody(Any.pack(Acceptance.newBuilder()
                .setAcceptedRequestMessageId(request.getId()).setAcceptedRequestSequencingEventId(request.getEventId())
                .setAcceptedRequest(request.getBody().unpack(Request.class)).build())).build();
        Message respond = Message.newBuilder().setId("res").setProtocolInstanceId("u1").setBody(Any.pack(Response.newBuilder()
                .setMeta(Meta.newBuilder().setUpdateId("u1")).setOutcome(Outcome.newBuilder().setSuccess(payloads("done"))).build())).build();
        raw.rpc().respondWorkflowTaskCompleted(completion(task.getTaskToken(), protocolMessage("acc"), protocolMessage("res"))
                .addMessages(accept).addMessages(respond).build());
        first.get(10, TimeUnit.SECONDS);
        updateAsync(used, "u2");
        awaitInFlight(used, "u2");
        var total = expectStatus(Status.Code.FAILED_PRECONDITION, () -> raw.rpc().updateWorkflowExecution(update(used, "u3")));
        assertThat(total.getStatus().getDescription()).startsWith("The limit on the total number of distinct updates in this workflow has been reached (2).");
    }

    private static Command protocolMessage(String messageId) {
        return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_PROTOCOL_MESSAGE)
                .setProtocolMessageCommandAttributes(ProtocolMessageCommandAttributes.newBuilder().setMessageId(messageId)).build();
    }
}
