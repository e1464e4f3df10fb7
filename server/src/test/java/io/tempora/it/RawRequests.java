package io.tempora.it;

import static io.tempora.it.TemporaFixture.IDENTITY;
import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.command.v1.Command;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.common.converter.GlobalDataConverter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Raw gRPC requests a test sends as a worker or client would, without the SDK's own checks in between. */
final class RawRequests {
    private final TemporaFixture tempora;

    RawRequests(TemporaFixture tempora) {
        this.tempora = tempora;
    }

    WorkflowServiceBlockingStub rpc() {
        return tempora.service().blockingStub().withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    WorkflowServiceBlockingStub longPoll() {
        return tempora.service().blockingStub().withDeadlineAfter(70, TimeUnit.SECONDS);
    }

    static com.google.protobuf.Duration seconds(long s) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
    }

    static TaskQueue taskQueue(String name) {
        return TaskQueue.newBuilder().setName(name).setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL).build();
    }

    static Payloads payloads(Object value) {
        return GlobalDataConverter.get().toPayloads(value).orElseThrow();
    }

    StartWorkflowExecutionRequest.Builder startRequest(String workflowId, String type) {
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

    /** Starts a workflow of a type no worker runs, and takes its first workflow task. */
    PollWorkflowTaskQueueResponse startAndPoll(String workflowId) {
        return startAndPoll(workflowId, tempora.taskQueue());
    }

    /** The same on a task queue of its own, so that no other run's task comes first. */
    PollWorkflowTaskQueueResponse startAndPoll(String workflowId, String queue) {
        rpc().startWorkflowExecution(startRequest(workflowId, "RawWorkflow").setTaskQueue(taskQueue(queue)).build());
        return pollWorkflowTask(queue);
    }

    PollWorkflowTaskQueueResponse pollWorkflowTask() {
        return pollWorkflowTask(tempora.taskQueue());
    }

    PollWorkflowTaskQueueResponse pollWorkflowTask(String queue) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            PollWorkflowTaskQueueResponse r = longPoll().pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
                    .setNamespace(NAMESPACE)
                    .setTaskQueue(taskQueue(queue))
                    .setIdentity(IDENTITY)
                    .build());
            if (!r.getTaskToken().isEmpty()) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                return fail("no workflow task on " + queue);
            }
        }
    }

    static RespondWorkflowTaskCompletedRequest.Builder completion(ByteString token, Command... commands) {
        return RespondWorkflowTaskCompletedRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setTaskToken(token)
                .addAllCommands(List.of(commands))
                .setIdentity(IDENTITY);
    }

    List<HistoryEvent> history(String workflowId) {
        return rpc().getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder().setNamespace(NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build()).getHistory().getEventsList();
    }

    static StatusRuntimeException expectStatus(Status.Code code, ThrowingCallable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with %s", code).isNotNull();
        assertThat(e.getStatus().getCode()).as("status of %s", e).isEqualTo(code);
        return e;
    }
}
