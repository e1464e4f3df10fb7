package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.Priority;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.worker.Worker;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start options the SDKs rely on: signal-with-start's start delay, memo deletion, and priority inheritance. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowOptionsConformanceTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Inbox {
        @WorkflowMethod
        String run();

        @SignalMethod
        void put(String item);
    }

    public static class InboxImpl implements Inbox {
        private final List<String> items = new ArrayList<>();

        @Override
        public String run() {
            Workflow.await(() -> !items.isEmpty());
            return String.join(",", items);
        }

        @Override
        public void put(String item) {
            items.add(item);
        }
    }

    @WorkflowInterface
    public interface MemoEditor {
        @WorkflowMethod
        void run();
    }

    public static class MemoEditorImpl implements MemoEditor {
        @Override
        public void run() {
            Map<String, Object> change = new HashMap<>();
            change.put("drop-me", null);
            change.put("kept", "new");
            Workflow.upsertMemo(change);
        }
    }

    @ActivityInterface
    public interface PriorityProbe {
        String priorityOfThisActivity();
    }

    public static class PriorityProbeImpl implements PriorityProbe {
        @Override
        public String priorityOfThisActivity() {
            return String.valueOf(Activity.getExecutionContext().getInfo().getPriority().getPriorityKey());
        }
    }

    @WorkflowInterface
    public interface PriorityParent {
        @WorkflowMethod
        String run(String childId);
    }

    public static class PriorityParentImpl implements PriorityParent {
        @Override
        public String run(String childId) {
            PriorityProbe probe = Workflow.newActivityStub(PriorityProbe.class,
                    ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
            String activity = probe.priorityOfThisActivity();
            PriorityChild child = Workflow.newChildWorkflowStub(PriorityChild.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(childId).build());
            return "activity=" + activity + " child=" + child.run();
        }
    }

    /** Waits for a signal, then reports the priority its activity ran with. */
    @WorkflowInterface
    public interface PriorityOnSignal {
        @WorkflowMethod
        String run();

        @SignalMethod
        void go();
    }

    public static class PriorityOnSignalImpl implements PriorityOnSignal {
        private boolean go;

        @Override
        public String run() {
            Workflow.await(() -> go);
            return Workflow.newActivityStub(PriorityProbe.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).build()).priorityOfThisActivity();
        }

        @Override
        public void go() {
            go = true;
        }
    }

    @WorkflowInterface
    public interface PriorityChild {
        @WorkflowMethod
        String run();
    }

    public static class PriorityChildImpl implements PriorityChild {
        @Override
        public String run() {
            return String.valueOf(Workflow.getInfo().getPriority().getPriorityKey());
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(InboxImpl.class, MemoEditorImpl.class, PriorityParentImpl.class, PriorityChildImpl.class,
                PriorityOnSignalImpl.class);
        worker.registerActivitiesImplementations(new PriorityProbeImpl());
        tempora.startWorkers();
    }

    @Test
    void signalWithStartHonoursTheStartDelay() throws Exception {
        String id = tempora.workflowId("sws-delay");
        Inbox inbox = tempora.client().newWorkflowStub(Inbox.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id).setStartDelay(Duration.ofSeconds(2)).build());
        BatchRequest request = tempora.client().newSignalWithStartRequest();
        request.add(inbox::run);
        request.add(inbox::put, "early");
        tempora.client().signalWithStart(request);
        assertThat(WorkflowStub.fromTyped(inbox).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("early");

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        HistoryEvent started = events.getFirst();
        assertThat(started.getWorkflowExecutionStartedEventAttributes().getFirstWorkflowTaskBackoff().getSeconds()).isEqualTo(2);
        assertThat(Histories.types(events).subList(0, 2)).containsExactly(
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
        HistoryEvent firstTask = Histories.ofType(events, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED).getFirst();
        long waitedMs = (firstTask.getEventTime().getSeconds() - started.getEventTime().getSeconds()) * 1000
                + (firstTask.getEventTime().getNanos() - started.getEventTime().getNanos()) / 1_000_000;
        assertThat(waitedMs).as("the first workflow task waits for the start delay").isGreaterThanOrEqualTo(1900);
    }

    @Test
    void cancelRequestDoesNotWaitForTheStartDelay() {
        String id = tempora.workflowId("cancel-delayed");
        Inbox inbox = tempora.client().newWorkflowStub(Inbox.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id).setStartDelay(Duration.ofHours(1)).build());
        WorkflowClient.start(inbox::run);
        // A signal waits for the delay, as on the official server; a cancellation request does not.
        inbox.put("early");
        assertThat(Histories.types(Histories.events(tempora.client(), id))).doesNotContain(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
        WorkflowStub.fromTyped(inbox).cancel();
        assertThatThrownBy(() -> WorkflowStub.fromTyped(inbox).getResult(20, TimeUnit.SECONDS, String.class))
                .isInstanceOf(io.temporal.client.WorkflowFailedException.class)
                .hasCauseInstanceOf(io.temporal.failure.CanceledFailure.class);
    }

    @Test
    void startDelayWithCronIsRejected() {
        String id = tempora.workflowId("delay-cron");
        Inbox inbox = tempora.client().newWorkflowStub(Inbox.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id).setStartDelay(Duration.ofSeconds(2))
                .setCronSchedule("@every 1h").build());
        assertThatThrownBy(() -> WorkflowClient.start(inbox::run))
                .rootCause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("CronSchedule and WorkflowStartDelay may not be used together.");
                });
    }

    @Test
    void memoUpsertOfANullValueDeletesTheKey() {
        String id = tempora.workflowId("memo-delete");
        MemoEditor editor = tempora.client().newWorkflowStub(MemoEditor.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id)
                .setMemo(Map.of("drop-me", "old", "kept", "old", "untouched", "yes")).build());
        editor.run();
        var memo = tempora.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getWorkflowExecutionInfo().getMemo().getFieldsMap();
        assertThat(memo).containsOnlyKeys("kept", "untouched");
        assertThat(GlobalDataConverter.get().fromPayload(memo.get("kept"), String.class, String.class)).isEqualTo("new");
    }

    @Test
    void activitiesAndChildrenInheritTheWorkflowsPriority() {
        String id = tempora.workflowId("priority");
        PriorityParent parent = tempora.client().newWorkflowStub(PriorityParent.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id)
                .setPriority(Priority.newBuilder().setPriorityKey(3).build()).build());
        assertThat(parent.run(id + "-child")).isEqualTo("activity=3 child=3");
        var info = tempora.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporaFixture.NAMESPACE).setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
                .getWorkflowExecutionInfo();
        assertThat(info.getPriority().getPriorityKey()).isEqualTo(3);
    }

    @Test
    void signalWithStartPriorityIsKeptAndInheritedByActivities() throws Exception {
        String id = tempora.workflowId("sws-priority");
        PriorityOnSignal wf = tempora.client().newWorkflowStub(PriorityOnSignal.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id)
                .setPriority(Priority.newBuilder().setPriorityKey(4).build()).build());
        BatchRequest request = tempora.client().newSignalWithStartRequest();
        request.add(wf::run);
        request.add(wf::go);
        tempora.client().signalWithStart(request);
        assertThat(WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("4");
        assertThat(Histories.events(tempora.client(), id).getFirst().getWorkflowExecutionStartedEventAttributes()
                .getPriority().getPriorityKey()).isEqualTo(4);
    }

    @Test
    void incompatibleIdPoliciesAreRefusedAsTheOfficialFrontendRefusesThem() {
        assertInvalid(() -> WorkflowClient.start(tempora.client().newWorkflowStub(Inbox.class, WorkflowOptions.newBuilder()
                        .setTaskQueue(tempora.taskQueue()).setWorkflowId(tempora.workflowId("terminate-if-running"))
                        .setWorkflowIdReusePolicy(io.temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING)
                        .setWorkflowIdConflictPolicy(io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                        .build())::run),
                "Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING cannot be used together with a WorkflowIDConflictPolicy");
        assertInvalid(() -> WorkflowClient.start(tempora.client().newWorkflowStub(Inbox.class, WorkflowOptions.newBuilder()
                        .setTaskQueue(tempora.taskQueue()).setWorkflowId(tempora.workflowId("reject-duplicate"))
                        .setWorkflowIdReusePolicy(io.temporal.api.enums.v1.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .setWorkflowIdConflictPolicy(io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING)
                        .build())::run),
                "Invalid WorkflowIDReusePolicy: WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE cannot be used together with WorkflowIdConflictPolicy WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING");
        String swsId = tempora.workflowId("sws-fail");
        Inbox inbox = tempora.client().newWorkflowStub(Inbox.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(swsId)
                .setWorkflowIdConflictPolicy(io.temporal.api.enums.v1.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL).build());
        BatchRequest request = tempora.client().newSignalWithStartRequest();
        request.add(inbox::run);
        request.add(inbox::put, "x");
        assertInvalid(() -> tempora.client().signalWithStart(request),
                "Invalid WorkflowIDConflictPolicy: WORKFLOW_ID_CONFLICT_POLICY_FAIL is not supported for this operation.");
        assertThatThrownBy(() -> tempora.client().newUntypedWorkflowStub(swsId).describe())
                .as("nothing was started").rootCause().isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).rootCause().isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
        });
    }
}
