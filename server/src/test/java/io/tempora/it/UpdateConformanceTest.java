package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ResetReapplyExcludeType;
import io.temporal.api.enums.v1.ResetReapplyType;
import io.temporal.api.enums.v1.UpdateAdmittedEventOrigin;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.ResetWorkflowExecutionRequest;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Updates the way the SDK samples use them: the Java SDK's HelloUpdate flow, an update that completes the
 * workflow, updates reapplied by reset, and update-with-start (ExecuteMultiOperation).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UpdateConformanceTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @ActivityInterface
    public interface GreetingActivities {
        String composeGreeting(String greeting, String name);
    }

    public static class GreetingActivitiesImpl implements GreetingActivities {
        @Override
        public String composeGreeting(String greeting, String name) {
            return greeting + " " + name + "!";
        }
    }

    /** The Java SDK's HelloUpdate sample workflow. */
    @WorkflowInterface
    public interface GreetingWorkflow {
        @WorkflowMethod
        List<String> getGreetings();

        @UpdateMethod
        int addGreeting(String name);

        @UpdateValidatorMethod(updateName = "addGreeting")
        void addGreetingValidator(String name);

        @SignalMethod
        void exit();
    }

    public static class GreetingWorkflowImpl implements GreetingWorkflow {
        private final List<String> messageQueue = new ArrayList<>(10);
        private final List<String> receivedMessages = new ArrayList<>(10);
        private boolean exit;
        private final GreetingActivities activities = Workflow.newActivityStub(GreetingActivities.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(2)).build());

        @Override
        public List<String> getGreetings() {
            while (true) {
                Workflow.await(() -> !messageQueue.isEmpty() || exit);
                if (messageQueue.isEmpty() && exit) {
                    return receivedMessages;
                }
                receivedMessages.add(messageQueue.remove(0));
            }
        }

        @Override
        public int addGreeting(String name) {
            if (name.isEmpty()) {
                throw ApplicationFailure.newFailure("Cannot greet someone with an empty name", "Failure");
            }
            messageQueue.add(activities.composeGreeting("Hello", name));
            return receivedMessages.size() + messageQueue.size();
        }

        @Override
        public void addGreetingValidator(String name) {
            if (receivedMessages.size() >= 10) {
                throw new IllegalStateException("Only 10 greetings may be added");
            }
        }

        @Override
        public void exit() {
            exit = true;
        }
    }

    /** A workflow whose update handler lets the workflow method return. */
    @WorkflowInterface
    public interface Finishable {
        @WorkflowMethod
        String run();

        @UpdateMethod
        String finish(String result);

        @UpdateMethod
        String add(String item);

        @UpdateValidatorMethod(updateName = "add")
        void validateAdd(String item);

        @SignalMethod
        void note(String item);
    }

    public static class FinishableImpl implements Finishable {
        private final List<String> items = new ArrayList<>();
        private String result;

        @Override
        public String run() {
            Workflow.await(() -> result != null);
            return result + items;
        }

        @Override
        public String finish(String value) {
            result = value;
            return "finished with " + value;
        }

        @Override
        public String add(String item) {
            items.add(item);
            return String.join(",", items);
        }

        @Override
        public void note(String item) {
            items.add(item);
        }

        /** "once-" items are refused in a reset run (whose run id is not the original one): a reapplied update gets rejected. */
        @Override
        public void validateAdd(String item) {
            if (item.startsWith("once-") && !Workflow.getInfo().getRunId().equals(Workflow.getInfo().getOriginalExecutionRunId())) {
                throw new IllegalArgumentException("only once: " + item);
            }
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(GreetingWorkflowImpl.class, FinishableImpl.class);
        worker.registerActivitiesImplementations(new GreetingActivitiesImpl());
        tempora.startWorkers();
    }

    private List<HistoryEvent> history(String workflowId, String runId) {
        return Histories.events(tempora.service(), workflowId, runId);
    }

    private String reset(String workflowId, String runId, long finishEventId, ResetReapplyExcludeType... excluded) {
        return reset(workflowId, runId, finishEventId, ResetReapplyType.RESET_REAPPLY_TYPE_UNSPECIFIED, excluded);
    }

    private String reset(String workflowId, String runId, long finishEventId, ResetReapplyType type, ResetReapplyExcludeType... excluded) {
        return tempora.service().blockingStub().resetWorkflowExecution(ResetWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                .setWorkflowTaskFinishEventId(finishEventId)
                .setReason("reapply test")
                .setResetReapplyType(type)
                .addAllResetReapplyExcludeTypes(List.of(excluded))
                .setRequestId(UUID.randomUUID().toString())
                .build()).getRunId();
    }

    @Test
    void helloUpdateSampleRunsWithoutWorkflowTaskFailures() {
        String id = tempora.workflowId("hello-update");
        GreetingWorkflow workflow = tempora.client().newWorkflowStub(GreetingWorkflow.class, tempora.options(id));
        WorkflowClient.start(workflow::getGreetings);
        assertThat(workflow.addGreeting("World")).isEqualTo(1);
        GreetingWorkflow byId = tempora.client().newWorkflowStub(GreetingWorkflow.class, id);
        assertThat(byId.addGreeting("Universe")).isEqualTo(2);
        WorkflowStub untyped = tempora.client().newUntypedWorkflowStub(id);
        untyped.update("addGreeting", int.class, "Temporal");
        assertThatThrownBy(() -> byId.addGreeting("")).isInstanceOf(WorkflowUpdateException.class)
                .hasStackTraceContaining("Cannot greet someone with an empty name");
        int sent = byId.addGreeting("Update");
        while (sent < 10) {
            sent = byId.addGreeting("Again");
        }
        assertThatThrownBy(() -> byId.addGreeting("Will be rejected")).isInstanceOf(WorkflowUpdateException.class)
                .hasStackTraceContaining("Only 10 greetings may be added");
        // After the rejection the worker's cache must still match the server's history.
        byId.exit();
        List<String> greetings = byId.getGreetings();
        assertThat(greetings).hasSize(10).startsWith("Hello World!", "Hello Universe!", "Hello Temporal!");

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED))
                .as("workflow tasks failed in %s", Histories.types(events)).isZero();
    }

    @Test
    void rejectionThenSignalIsDeliveredWithoutAReplay() throws Exception {
        String id = tempora.workflowId("reject-signal");
        GreetingWorkflow workflow = tempora.client().newWorkflowStub(GreetingWorkflow.class, tempora.options(id));
        WorkflowClient.start(workflow::getGreetings);
        for (int i = 0; i < 10; i++) {
            workflow.addGreeting("n" + i);
        }
        assertThatThrownBy(() -> workflow.addGreeting("x")).isInstanceOf(WorkflowUpdateException.class);
        assertThatThrownBy(() -> workflow.addGreeting("y")).isInstanceOf(WorkflowUpdateException.class);
        workflow.exit();
        assertThat(WorkflowStub.fromTyped(workflow).getResult(30, TimeUnit.SECONDS, List.class)).hasSize(10);
        assertThat(Histories.count(Histories.events(tempora.client(), id), EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).isZero();
    }

    @Test
    void updateThatCompletesTheWorkflowAnswersWithItsOutcome() throws Exception {
        String id = tempora.workflowId("update-finishes");
        Finishable wf = tempora.client().newWorkflowStub(Finishable.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        assertThat(wf.add("a")).isEqualTo("a");
        assertThat(wf.finish("done")).isEqualTo("finished with done");
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("done[a]");

        List<EventType> types = Histories.types(Histories.events(tempora.client(), id));
        assertThat(types.subList(types.size() - 3, types.size())).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        // The outcome stays readable after the close (PollWorkflowExecutionUpdate of a completed update).
        WorkflowUpdateHandle<String> handle = WorkflowStub.fromTyped(wf).getUpdateHandle(
                Histories.ofType(Histories.events(tempora.client(), id), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)
                        .getLast().getWorkflowExecutionUpdateCompletedEventAttributes().getMeta().getUpdateId(), String.class);
        assertThat(handle.getResultAsync().get(10, TimeUnit.SECONDS)).isEqualTo("finished with done");
    }

    @Test
    void resetReappliesAcceptedUpdatesUnlessExcluded() throws Exception {
        String id = tempora.workflowId("reset-updates");
        Finishable wf = tempora.client().newWorkflowStub(Finishable.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        assertThat(wf.add("a")).isEqualTo("a");
        assertThat(wf.add("b")).isEqualTo("a,b");
        String baseRunId = WorkflowStub.fromTyped(wf).getExecution().getRunId();
        long firstCompleted = Histories.ofType(history(id, baseRunId), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .getFirst().getEventId();

        String newRunId = reset(id, baseRunId, firstCompleted);

        WorkflowStub current = tempora.client().newUntypedWorkflowStub(id);
        assertThat(current.update("finish", String.class, "reset")).isEqualTo("finished with reset");
        assertThat(current.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("reset[a, b]");
        List<HistoryEvent> events = history(id, newRunId);
        List<HistoryEvent> admitted = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED);
        assertThat(admitted).hasSize(2);
        assertThat(admitted).allSatisfy(e -> assertThat(e.getWorkflowExecutionUpdateAdmittedEventAttributes().getOrigin())
                .isEqualTo(UpdateAdmittedEventOrigin.UPDATE_ADMITTED_EVENT_ORIGIN_REAPPLY));
        assertThat(admitted.getFirst().getWorkflowExecutionUpdateAdmittedEventAttributes().getRequest().getInput().getName()).isEqualTo("add");
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isEqualTo(3);

        // With updates excluded, the second reset run starts without them.
        String excludedRunId = reset(id, newRunId, firstCompleted, ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE);
        assertThat(Histories.count(history(id, excludedRunId), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED)).isZero();
        assertThat(current.update("finish", String.class, "bare")).isEqualTo("finished with bare");
        assertThat(tempora.client().newUntypedWorkflowStub(id).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("bare[]");
    }

    @Test
    void reappliedUpdateThatIsRejectedCanBeSentAgain() throws Exception {
        String id = tempora.workflowId("reset-rejected");
        Finishable wf = tempora.client().newWorkflowStub(Finishable.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        WorkflowStub stub = WorkflowStub.fromTyped(wf);
        UpdateOptions<String> once = UpdateOptions.newBuilder(String.class).setUpdateName("add").setUpdateId("u-once")
                .setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
        assertThat(stub.startUpdate(once, "once-a").getResultAsync().get(30, TimeUnit.SECONDS)).isEqualTo("once-a");
        String baseRunId = stub.getExecution().getRunId();
        long firstCompleted = Histories.ofType(history(id, baseRunId), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).getFirst().getEventId();

        String newRunId = reset(id, baseRunId, firstCompleted);
        // The reset run reads the reapplied update from history and rejects it.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                Histories.count(history(id, newRunId), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) >= 1);
        // Sent again with the same id, it reaches the worker (which rejects it again) instead of waiting forever.
        WorkflowStub current = tempora.client().newUntypedWorkflowStub(id);
        assertThatThrownBy(() -> current.startUpdate(once, "once-a").getResultAsync().get(30, TimeUnit.SECONDS))
                .hasStackTraceContaining("only once: once-a");
        assertThat(current.update("finish", String.class, "end")).isEqualTo("finished with end");
        assertThat(Histories.count(history(id, newRunId), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).isEqualTo(1);
    }

    private WorkflowOptions withStartOptions(String id, WorkflowIdConflictPolicy policy) {
        return WorkflowOptions.newBuilder().setTaskQueue(tempora.taskQueue()).setWorkflowId(id)
                .setWorkflowIdConflictPolicy(policy).build();
    }

    @Test
    void updateWithStartStartsTheWorkflowAndReturnsTheUpdateResult() throws Exception {
        String id = tempora.workflowId("uws");
        Finishable wf = tempora.client().newWorkflowStub(Finishable.class,
                withStartOptions(id, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING));
        WithStartWorkflowOperation<String> start = new WithStartWorkflowOperation<>(wf::run);
        String first = WorkflowClient.executeUpdateWithStart(wf::add, "x",
                UpdateOptions.<String>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(), start);
        assertThat(first).isEqualTo("x");

        // USE_EXISTING: the second call updates the running workflow.
        Finishable again = tempora.client().newWorkflowStub(Finishable.class,
                withStartOptions(id, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING));
        WithStartWorkflowOperation<String> secondStart = new WithStartWorkflowOperation<>(again::run);
        WorkflowUpdateHandle<String> handle = WorkflowClient.startUpdateWithStart(again::add, "y",
                UpdateOptions.<String>newBuilder().setWaitForStage(WorkflowUpdateStage.ACCEPTED).build(), secondStart);
        assertThat(handle.getResultAsync().get(30, TimeUnit.SECONDS)).isEqualTo("x,y");
        assertThat(handle.getExecution().getRunId()).isEqualTo(WorkflowStub.fromTyped(wf).getExecution().getRunId());

        // FAIL: a running workflow makes the start fail with ALREADY_EXISTS.
        Finishable failing = tempora.client().newWorkflowStub(Finishable.class,
                withStartOptions(id, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL));
        WithStartWorkflowOperation<String> failingStart = new WithStartWorkflowOperation<>(failing::run);
        assertThatThrownBy(() -> WorkflowClient.executeUpdateWithStart(failing::add, "z",
                UpdateOptions.<String>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(), failingStart))
                .isInstanceOf(WorkflowServiceException.class)
                .rootCause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));

        wf.finish("end");
        assertThat(start.getResult()).isEqualTo("end[x, y]");
        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).isZero();
        assertThat(Histories.count(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).isEqualTo(3);
    }

    @Test
    void updateWithStartTerminateExistingReplacesTheRunningWorkflow() throws Exception {
        String id = tempora.workflowId("uws-terminate");
        Finishable first = tempora.client().newWorkflowStub(Finishable.class, tempora.options(id));
        WorkflowClient.start(first::run);
        String firstRunId = WorkflowStub.fromTyped(first).getExecution().getRunId();

        Finishable replacing = tempora.client().newWorkflowStub(Finishable.class,
                withStartOptions(id, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING));
        WithStartWorkflowOperation<String> start = new WithStartWorkflowOperation<>(replacing::run);
        assertThat(WorkflowClient.executeUpdateWithStart(replacing::add, "fresh",
                UpdateOptions.<String>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build(), start)).isEqualTo("fresh");
        assertThat(Histories.types(history(id, firstRunId))).endsWith(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
        String secondRunId = tempora.client().newUntypedWorkflowStub(id).describe().getExecution().getRunId();
        assertThat(secondRunId).isNotEqualTo(firstRunId);
        tempora.client().newWorkflowStub(Finishable.class, id).finish("end");
        assertThat(start.getResult()).isEqualTo("end[fresh]");
    }

    @Test
    void executeMultiOperationRejectsOperationsThatAreNotStartThenUpdate() {
        var request = io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .addOperations(io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation.newBuilder()
                        .setStartWorkflow(io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.getDefaultInstance()))
                .build();
        assertThatThrownBy(() -> tempora.service().blockingStub().executeMultiOperation(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("Operations have to be exactly [Start, Update].");
                });
    }

    @Test
    void resetReapplyTypeAndExclusionsChooseWhatTheNewRunGets() throws Exception {
        String id = tempora.workflowId("reset-kinds");
        Finishable wf = tempora.client().newWorkflowStub(Finishable.class, tempora.options(id));
        WorkflowClient.start(wf::run);
        WorkflowStub current = tempora.client().newUntypedWorkflowStub(id);
        wf.note("s1");
        assertThat(wf.add("u1")).isEqualTo("s1,u1");
        String baseRunId = WorkflowStub.fromTyped(wf).getExecution().getRunId();
        long firstCompleted = Histories.ofType(history(id, baseRunId), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .getFirst().getEventId();

        // The deprecated SIGNAL type: signals only.
        String signalsOnly = reset(id, baseRunId, firstCompleted, ResetReapplyType.RESET_REAPPLY_TYPE_SIGNAL);
        assertThat(current.update("add", String.class, "u2")).isEqualTo("s1,u2");
        List<HistoryEvent> run2 = history(id, signalsOnly);
        assertThat(Histories.count(run2, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).isEqualTo(1);
        assertThat(Histories.count(run2, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED)).isZero();

        // All eligible minus signals: the update u2 only.
        String updatesOnly = reset(id, signalsOnly, firstCompleted, ResetReapplyType.RESET_REAPPLY_TYPE_ALL_ELIGIBLE,
                ResetReapplyExcludeType.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL);
        current.signal("note", "s3");
        List<HistoryEvent> run3 = history(id, updatesOnly);
        assertThat(Histories.ofType(run3, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED))
                .singleElement().satisfies(e -> assertThat(e.getWorkflowExecutionUpdateAdmittedEventAttributes()
                        .getRequest().getMeta().getUpdateId()).isNotEmpty());

        // NONE: nothing after the reset point comes along.
        String bare = reset(id, updatesOnly, firstCompleted, ResetReapplyType.RESET_REAPPLY_TYPE_NONE);
        List<HistoryEvent> run4 = history(id, bare);
        assertThat(Histories.count(run4, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).isZero();
        assertThat(Histories.count(run4, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED)).isZero();
        assertThat(current.update("finish", String.class, "end")).isEqualTo("finished with end");
        assertThat(current.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("end[]");
    }

    @Test
    void updateWithStartReturnsAKnownUpdatesOutcomeUnderFailAndAfterTheRunClosed() throws Exception {
        String id = tempora.workflowId("uws-known");
        UpdateOptions<String> u1 = UpdateOptions.<String>newBuilder().setUpdateId("u1")
                .setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
        Finishable wf = tempora.client().newWorkflowStub(Finishable.class,
                withStartOptions(id, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL));
        WithStartWorkflowOperation<String> start = new WithStartWorkflowOperation<>(wf::run);
        assertThat(WorkflowClient.executeUpdateWithStart(wf::add, "x", u1, start)).isEqualTo("x");
        String runId = WorkflowStub.fromTyped(wf).getExecution().getRunId();

        // FAIL on a running workflow that knows the update: its outcome, not ALREADY_EXISTS, and no second update.
        Finishable again = tempora.client().newWorkflowStub(Finishable.class,
                withStartOptions(id, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL));
        assertThat(WorkflowClient.executeUpdateWithStart(again::add, "ignored", u1, new WithStartWorkflowOperation<>(again::run)))
                .isEqualTo("x");

        tempora.client().newWorkflowStub(Finishable.class, id).finish("end");
        assertThat(start.getResult()).isEqualTo("end[x]");

        // The run closed: the stored outcome, and no new run.
        Finishable closed = tempora.client().newWorkflowStub(Finishable.class,
                withStartOptions(id, WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL));
        WithStartWorkflowOperation<String> closedStart = new WithStartWorkflowOperation<>(closed::run);
        assertThat(WorkflowClient.executeUpdateWithStart(closed::add, "ignored", u1, closedStart)).isEqualTo("x");
        var described = tempora.client().newUntypedWorkflowStub(id).describe();
        assertThat(described.getExecution().getRunId()).isEqualTo(runId);
        assertThat(described.getStatus()).isEqualTo(io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        assertThat(Histories.count(history(id, runId), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).isEqualTo(2);
    }

    @Test
    void updateWithStartUnderFailOnARunningWorkflowSaysTheStartFailed() throws Exception {
        String id = tempora.workflowId("uws-fail");
        WorkflowClient.start(tempora.client().newWorkflowStub(Finishable.class, tempora.options(id))::run);
        var start = io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setWorkflowId(id).setRequestId(UUID.randomUUID().toString())
                .setWorkflowType(io.temporal.api.common.v1.WorkflowType.newBuilder().setName("Finishable"))
                .setTaskQueue(io.temporal.api.taskqueue.v1.TaskQueue.newBuilder().setName(tempora.taskQueue()))
                .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
        var update = io.temporal.api.workflowservice.v1.UpdateWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .setRequest(io.temporal.api.update.v1.Request.newBuilder()
                        .setMeta(io.temporal.api.update.v1.Meta.newBuilder().setUpdateId("new-update"))
                        .setInput(io.temporal.api.update.v1.Input.newBuilder().setName("add")));
        var request = io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .addOperations(io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation.newBuilder().setStartWorkflow(start))
                .addOperations(io.temporal.api.workflowservice.v1.ExecuteMultiOperationRequest.Operation.newBuilder().setUpdateWorkflow(update))
                .build();
        StatusRuntimeException e = org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
                () -> tempora.service().blockingStub().executeMultiOperation(request));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(e.getStatus().getDescription())
                .startsWith("MultiOperation could not be executed: Start failed: Workflow execution is already running.");
        var failure = io.grpc.protobuf.StatusProto.fromThrowable(e).getDetails(0)
                .unpack(io.temporal.api.errordetails.v1.MultiOperationExecutionFailure.class);
        assertThat(failure.getStatusesList()).extracting(s -> s.getCode())
                .containsExactly(Status.Code.ALREADY_EXISTS.value(), Status.Code.ABORTED.value());
    }
}
