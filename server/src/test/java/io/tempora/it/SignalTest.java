package io.tempora.it;

import static io.tempora.it.TemporaFixture.IDENTITY;
import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionSignaledEventAttributes;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SignalWorkflowExecution and SignalWithStartWorkflowExecution through the official SDK and raw gRPC:
 * delivery in order, WorkflowExecutionSignaled events, request-id dedupe, and the requests the server rejects.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SignalTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final String WORKFLOW_TYPE = "SignalCollector";

    // ------------------------------------------------------------------ workflow type

    @WorkflowInterface
    public interface CollectorWorkflow {
        /** Waits for {@link #finish()} and returns {@code prefix} followed by every added value, comma-separated. */
        @WorkflowMethod(name = WORKFLOW_TYPE)
        String collect(String prefix);

        @SignalMethod(name = "add")
        void add(String value);

        @SignalMethod(name = "finish")
        void finish();
    }

    public static class CollectorWorkflowImpl implements CollectorWorkflow {
        private final List<String> values = new ArrayList<>();
        private boolean finished;

        @Override
        public String collect(String prefix) {
            Workflow.await(() -> finished);
            return prefix + String.join(",", values);
        }

        @Override
        public void add(String value) {
            values.add(value);
        }

        @Override
        public void finish() {
            finished = true;
        }
    }

    // ------------------------------------------------------------------ helpers

    private static void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(CollectorWorkflowImpl.class);
        tempora.startWorkers();
    }

    private static CollectorWorkflow newStub(String workflowId) {
        return tempora.client().newWorkflowStub(CollectorWorkflow.class, tempora.options(workflowId));
    }

    /** A stub bound to the current run of an existing workflow id. */
    private static CollectorWorkflow existing(String workflowId) {
        return tempora.client().newWorkflowStub(CollectorWorkflow.class, workflowId);
    }

    private static String result(String workflowId) throws Exception {
        return tempora.client().newUntypedWorkflowStub(workflowId).getResult(30, TimeUnit.SECONDS, String.class);
    }

    private static WorkflowServiceBlockingStub rpc() {
        return tempora.service().blockingStub().withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private static String clientIdentity() {
        return tempora.client().getOptions().getIdentity();
    }

    private static Payloads payloads(Object value) {
        return GlobalDataConverter.get().toPayloads(value).orElseThrow();
    }

    private static String decodeString(Payloads payloads) {
        return GlobalDataConverter.get().fromPayloads(0, Optional.of(payloads), String.class, String.class);
    }

    private static StatusRuntimeException expectStatus(Status.Code code, ThrowingCallable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("expected the call to fail with %s", code).isNotNull();
        assertThat(e.getStatus().getCode()).as("status of %s", e).isEqualTo(code);
        return e;
    }

    private static SignalWorkflowExecutionRequest.Builder signalRequest(String workflowId, String name, Payloads input) {
        return SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .setSignalName(name)
                .setInput(input)
                .setIdentity(IDENTITY)
                .setRequestId(UUID.randomUUID().toString());
    }

    private static List<HistoryEvent> signaled(List<HistoryEvent> events) {
        return Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    }

    private static List<String> signalNames(List<HistoryEvent> events) {
        return signaled(events).stream()
                .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
                .toList();
    }

    /** The single string argument of each {@code add} signal, in history order. */
    private static List<String> addedValues(List<HistoryEvent> events) {
        return signaled(events).stream()
                .map(HistoryEvent::getWorkflowExecutionSignaledEventAttributes)
                .filter(a -> a.getSignalName().equals("add"))
                .map(a -> decodeString(a.getInput()))
                .toList();
    }

    private static int indexOfFirst(List<EventType> types, EventType type) {
        return types.indexOf(type);
    }

    private static void assertCompleted(String workflowId, List<HistoryEvent> events) {
        Histories.assertWellFormed(workflowId, events);
        assertThat(Histories.types(events))
                .as("history of %s", workflowId)
                .containsOnlyOnce(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }

    // ------------------------------------------------------------------ delivery

    @Test
    void signalsAreDeliveredInOrderAndRecordedAsSignaledEvents() throws Exception {
        startWorker();
        String id = tempora.workflowId("order");
        CollectorWorkflow wf = newStub(id);
        WorkflowClient.start(wf::collect, "got:");

        wf.add("a");
        wf.add("b");
        wf.add("c");
        wf.finish();
        String result = result(id);

        assertThat(result).isEqualTo("got:a,b,c");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertCompleted(id, events);
        assertThat(signalNames(events)).containsExactly("add", "add", "add", "finish");
        assertThat(addedValues(events)).containsExactly("a", "b", "c");
        for (HistoryEvent e : signaled(events)) {
            WorkflowExecutionSignaledEventAttributes a = e.getWorkflowExecutionSignaledEventAttributes();
            assertThat(a.getIdentity()).as("identity on signal event %d", e.getEventId()).isEqualTo(clientIdentity());
        }
        HistoryEvent finish = signaled(events).get(3);
        assertThat(finish.getWorkflowExecutionSignaledEventAttributes().getInput().getPayloadsCount())
                .as("a signal without arguments has no input payloads").isZero();
    }

    @Test
    void signalsSentBeforeAnyWorkerPollsAreAllSeenByTheFirstWorkflowTask() throws Exception {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(CollectorWorkflowImpl.class);
        String id = tempora.workflowId("early");
        CollectorWorkflow wf = newStub(id);
        WorkflowClient.start(wf::collect, "early:");

        // No worker yet: the first workflow task is scheduled but not started, so every signal joins it.
        wf.add("x");
        wf.add("y");
        wf.finish();
        tempora.startWorkers();
        String result = result(id);

        assertThat(result).isEqualTo("early:x,y");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertCompleted(id, events);
        assertThat(Histories.types(events))
                .as("signals that arrive while the first workflow task is still scheduled must not schedule another")
                .containsExactly(
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                        EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                        EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
                        EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
                        EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        assertThat(addedValues(events)).containsExactly("x", "y");
    }

    // ------------------------------------------------------------------ rejected signals

    @Test
    void signalToUnknownWorkflowIdIsNotFound() {
        String id = tempora.workflowId("unknown");

        WorkflowNotFoundException e = catchThrowableOfType(WorkflowNotFoundException.class,
                () -> existing(id).add("lost"));
        assertThat(e).as("SDK signal to a workflow id that never existed").isNotNull();

        expectStatus(Status.Code.NOT_FOUND,
                () -> rpc().signalWorkflowExecution(signalRequest(id, "add", payloads("lost")).build()));
    }

    @Test
    void signalToUnknownRunIdOfExistingWorkflowIsNotFound() throws Exception {
        startWorker();
        String id = tempora.workflowId("unknown-run");
        CollectorWorkflow wf = newStub(id);
        WorkflowClient.start(wf::collect, "run:");

        SignalWorkflowExecutionRequest.Builder request = signalRequest(id, "add", payloads("lost"));
        request.getWorkflowExecutionBuilder().setRunId(UUID.randomUUID().toString());
        expectStatus(Status.Code.NOT_FOUND, () -> rpc().signalWorkflowExecution(request.build()));

        wf.finish();
        assertThat(result(id)).isEqualTo("run:");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertCompleted(id, events);
        assertThat(signalNames(events)).containsExactly("finish");
    }

    @Test
    void signalToCompletedWorkflowIsNotFound() throws Exception {
        startWorker();
        String id = tempora.workflowId("completed");
        CollectorWorkflow wf = newStub(id);
        WorkflowClient.start(wf::collect, "done:");
        wf.add("only");
        wf.finish();
        assertThat(result(id)).isEqualTo("done:only");
        int eventsAtCompletion = Histories.events(tempora.client(), id).size();

        WorkflowNotFoundException e = catchThrowableOfType(WorkflowNotFoundException.class,
                () -> existing(id).add("too late"));
        assertThat(e).as("SDK signal to a completed workflow").isNotNull();
        expectStatus(Status.Code.NOT_FOUND,
                () -> rpc().signalWorkflowExecution(signalRequest(id, "add", payloads("too late")).build()));

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(events).as("no event may be appended after the close event").hasSize(eventsAtCompletion);
        assertCompleted(id, events);
        assertThat(addedValues(events)).containsExactly("only");
    }

    @Test
    void signalWithPayloadOverTwoMegabytesIsInvalidAndNotRecorded() throws Exception {
        startWorker();
        String id = tempora.workflowId("big");
        CollectorWorkflow wf = newStub(id);
        WorkflowClient.start(wf::collect, "big:");

        Payload big = Payload.newBuilder()
                .putMetadata("encoding", ByteString.copyFromUtf8("binary/plain"))
                .setData(ByteString.copyFrom(new byte[2_500_000]))
                .build();
        expectStatus(Status.Code.INVALID_ARGUMENT, () -> rpc().signalWorkflowExecution(
                signalRequest(id, "add", Payloads.newBuilder().addPayloads(big).build()).build()));

        // The workflow is unaffected and still takes signals.
        wf.add("small");
        wf.finish();
        assertThat(result(id)).isEqualTo("big:small");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertCompleted(id, events);
        assertThat(signalNames(events)).containsExactly("add", "finish");
        assertThat(addedValues(events)).containsExactly("small");
    }

    // ------------------------------------------------------------------ request-id dedupe

    @Test
    void duplicateSignalRequestIdIsDeliveredOnce() throws Exception {
        startWorker();
        String id = tempora.workflowId("dedupe");
        CollectorWorkflow wf = newStub(id);
        WorkflowClient.start(wf::collect, "dedupe:");

        SignalWorkflowExecutionRequest request = signalRequest(id, "add", payloads("dup"))
                .setRequestId("signal-request-" + UUID.randomUUID())
                .build();
        tempora.client().getWorkflowServiceStubs().blockingStub().signalWorkflowExecution(request);
        // A retry of the same request (same request id) succeeds but is not delivered again.
        tempora.client().getWorkflowServiceStubs().blockingStub().signalWorkflowExecution(request);
        // The same signal under a different request id is a new signal.
        tempora.client().getWorkflowServiceStubs().blockingStub().signalWorkflowExecution(
                request.toBuilder().setRequestId("signal-request-" + UUID.randomUUID()).build());
        wf.finish();

        assertThat(result(id)).isEqualTo("dedupe:dup,dup");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertCompleted(id, events);
        assertThat(signalNames(events)).containsExactly("add", "add", "finish");
        assertThat(addedValues(events)).containsExactly("dup", "dup");
        assertThat(signaled(events).get(0).getWorkflowExecutionSignaledEventAttributes().getIdentity())
                .isEqualTo(IDENTITY);
    }

    // ------------------------------------------------------------------ SignalWithStart

    @Test
    void signalWithStartStartsAnAbsentWorkflowWithTheSignal() throws Exception {
        startWorker();
        String id = tempora.workflowId("sws-absent");
        CollectorWorkflow wf = newStub(id);

        BatchRequest request = tempora.client().newSignalWithStartRequest();
        request.add(wf::collect, "sws:");
        request.add(wf::add, "first");
        WorkflowExecution execution = tempora.client().signalWithStart(request);

        assertThat(execution.getWorkflowId()).isEqualTo(id);
        assertThat(execution.getRunId()).isNotEmpty();
        existing(id).add("second");
        existing(id).finish();
        assertThat(result(id)).isEqualTo("sws:first,second");

        List<HistoryEvent> events = tempora.client().fetchHistory(id, execution.getRunId()).getEvents();
        assertCompleted(id, events);
        List<EventType> types = Histories.types(events);
        assertThat(indexOfFirst(types, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED))
                .as("the signal of SignalWithStart is recorded before the first workflow task starts: %s", types)
                .isLessThan(indexOfFirst(types, EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED));
        assertThat(signalNames(events)).containsExactly("add", "add", "finish");
        assertThat(addedValues(events)).containsExactly("first", "second");
        HistoryEvent started = events.get(0);
        assertThat(started.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName())
                .isEqualTo(WORKFLOW_TYPE);
        assertThat(started.getWorkflowExecutionStartedEventAttributes().getTaskQueue().getName())
                .isEqualTo(tempora.taskQueue());
        assertThat(decodeString(started.getWorkflowExecutionStartedEventAttributes().getInput())).isEqualTo("sws:");
    }

    @Test
    void signalWithStartOnRunningWorkflowOnlySignalsTheSameRun() throws Exception {
        startWorker();
        String id = tempora.workflowId("sws-running");
        CollectorWorkflow wf = newStub(id);
        WorkflowExecution original = WorkflowClient.start(wf::collect, "orig:");

        CollectorWorkflow again = newStub(id);
        BatchRequest request = tempora.client().newSignalWithStartRequest();
        request.add(again::collect, "ignored:");
        request.add(again::add, "via-signal-with-start");
        WorkflowExecution execution = tempora.client().signalWithStart(request);

        assertThat(execution.getRunId()).as("SignalWithStart on a running workflow returns its run id")
                .isEqualTo(original.getRunId());
        existing(id).finish();
        assertThat(result(id)).isEqualTo("orig:via-signal-with-start");

        List<HistoryEvent> events = tempora.client().fetchHistory(id, original.getRunId()).getEvents();
        assertCompleted(id, events);
        assertThat(decodeString(events.get(0).getWorkflowExecutionStartedEventAttributes().getInput()))
                .as("the start arguments of the second request are ignored").isEqualTo("orig:");
        assertThat(signalNames(events)).containsExactly("add", "finish");
        assertThat(addedValues(events)).containsExactly("via-signal-with-start");
    }

    @Test
    void signalWithStartAfterCompletionStartsANewRun() throws Exception {
        startWorker();
        String id = tempora.workflowId("sws-closed");
        CollectorWorkflow wf = newStub(id);
        WorkflowExecution first = WorkflowClient.start(wf::collect, "one:");
        existing(id).finish();
        assertThat(result(id)).isEqualTo("one:");

        CollectorWorkflow again = newStub(id);
        BatchRequest request = tempora.client().newSignalWithStartRequest();
        request.add(again::collect, "two:");
        request.add(again::add, "fresh");
        WorkflowExecution second = tempora.client().signalWithStart(request);

        assertThat(second.getRunId()).as("a closed workflow id is absent for SignalWithStart")
                .isNotEqualTo(first.getRunId());
        existing(id).finish();
        WorkflowStub latest = tempora.client().newUntypedWorkflowStub(id);
        assertThat(latest.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("two:fresh");

        List<HistoryEvent> firstRun = tempora.client().fetchHistory(id, first.getRunId()).getEvents();
        assertCompleted(id, firstRun);
        assertThat(signalNames(firstRun)).containsExactly("finish");
        List<HistoryEvent> secondRun = tempora.client().fetchHistory(id, second.getRunId()).getEvents();
        assertCompleted(id, secondRun);
        assertThat(signalNames(secondRun)).containsExactly("add", "finish");
        assertThat(addedValues(secondRun)).containsExactly("fresh");
    }
}
