package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.worker.Worker;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Child workflows: start, result and failure propagation, parent close policies, signals between workflows. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChildWorkflowTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface ChildWorkflow {
        @WorkflowMethod
        String greet(String name);
    }

    public static class ChildWorkflowImpl implements ChildWorkflow {
        @Override
        public String greet(String name) {
            if (name.equals("fail")) {
                throw ApplicationFailure.newNonRetryableFailure("child failed", "ChildError");
            }
            if (name.equals("wait")) {
                Workflow.await(() -> false);
            }
            return "hello " + name;
        }
    }

    @WorkflowInterface
    public interface ParentWorkflow {
        @WorkflowMethod
        String run(String name);
    }

    public static class ParentWorkflowImpl implements ParentWorkflow {
        @Override
        public String run(String name) {
            ChildWorkflow child = Workflow.newChildWorkflowStub(ChildWorkflow.class,
                    ChildWorkflowOptions.newBuilder().setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child").build());
            return "parent got: " + child.greet(name);
        }
    }

    /** Starts a child that waits forever and returns without waiting for it. */
    @WorkflowInterface
    public interface AbandoningParent {
        @WorkflowMethod
        String run(String policy);
    }

    public static class AbandoningParentImpl implements AbandoningParent {
        @Override
        public String run(String policy) {
            ChildWorkflow child = Workflow.newChildWorkflowStub(ChildWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child")
                    .setParentClosePolicy(ParentClosePolicy.valueOf(policy)).build());
            Async.function(child::greet, "wait");
            Workflow.getWorkflowExecution(child).get();
            return "left";
        }
    }

    @WorkflowInterface
    public interface Receiver {
        @WorkflowMethod
        String await();

        @SignalMethod
        void poke(String value);
    }

    public static class ReceiverImpl implements Receiver {
        private String value;

        @Override
        public String await() {
            Workflow.await(() -> value != null);
            return "got " + value;
        }

        @Override
        public void poke(String v) {
            value = v;
        }
    }

    @WorkflowInterface
    public interface Sender {
        @WorkflowMethod
        String send(String targetId);
    }

    public static class SenderImpl implements Sender {
        @Override
        public String send(String targetId) {
            Workflow.newExternalWorkflowStub(Receiver.class, targetId).poke("ping");
            try {
                ExternalWorkflowStub missing = Workflow.newUntypedExternalWorkflowStub("no-such-workflow-" + targetId);
                missing.signal("poke", "x");
                return "unexpected";
            } catch (RuntimeException e) {
                return "sent; missing target failed";
            }
        }
    }

    @WorkflowInterface
    public interface Canceller {
        @WorkflowMethod
        String cancel(String targetId);
    }

    public static class CancellerImpl implements Canceller {
        @Override
        public String cancel(String targetId) {
            Workflow.newUntypedExternalWorkflowStub(targetId).cancel();
            return "cancel requested";
        }
    }

    @WorkflowInterface
    public interface FlakyChild {
        @WorkflowMethod
        String run();
    }

    public static class FlakyChildImpl implements FlakyChild {
        @Override
        public String run() {
            if (Workflow.getInfo().getAttempt() < 2) {
                throw ApplicationFailure.newFailure("first attempt fails", "Flaky");
            }
            return "child attempt " + Workflow.getInfo().getAttempt();
        }
    }

    @WorkflowInterface
    public interface RetryingParent {
        @WorkflowMethod
        String run();
    }

    public static class RetryingParentImpl implements RetryingParent {
        @Override
        public String run() {
            FlakyChild child = Workflow.newChildWorkflowStub(FlakyChild.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(Workflow.getInfo().getWorkflowId() + "-child")
                    .setRetryOptions(io.temporal.common.RetryOptions.newBuilder().setInitialInterval(Duration.ofMillis(100)).build())
                    .build());
            return child.run();
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(ChildWorkflowImpl.class, ParentWorkflowImpl.class, AbandoningParentImpl.class,
                ReceiverImpl.class, SenderImpl.class, CancellerImpl.class, FlakyChildImpl.class, RetryingParentImpl.class);
        tempora.startWorkers();
    }

    @Test
    void childResultReachesTheParent() {
        String id = tempora.workflowId("parent");
        ParentWorkflow parent = tempora.client().newWorkflowStub(ParentWorkflow.class, tempora.options(id));
        assertThat(parent.run("kid")).isEqualTo("parent got: hello kid");

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        Histories.assertWellFormed(id, events);
        List<EventType> types = Histories.types(events);
        assertThat(types).containsSubsequence(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
                EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED,
                EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
        HistoryEvent started = Histories.ofType(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED).getFirst();
        HistoryEvent completed = Histories.ofType(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED).getFirst();
        assertThat(completed.getChildWorkflowExecutionCompletedEventAttributes().getStartedEventId()).isEqualTo(started.getEventId());

        DescribeWorkflowExecutionResponse child = describe(id + "-child");
        assertThat(child.getWorkflowExecutionInfo().getParentExecution().getWorkflowId()).isEqualTo(id);
        List<HistoryEvent> childEvents = Histories.events(tempora.client(), id + "-child");
        assertThat(childEvents.getFirst().getWorkflowExecutionStartedEventAttributes().getParentWorkflowExecution().getWorkflowId())
                .isEqualTo(id);
    }

    @Test
    void childFailureFailsTheParentWithTheCause() {
        String id = tempora.workflowId("parent-fail");
        ParentWorkflow parent = tempora.client().newWorkflowStub(ParentWorkflow.class, tempora.options(id));
        assertThatThrownBy(() -> parent.run("fail"))
                .isInstanceOf(WorkflowFailedException.class)
                .cause().isInstanceOf(ChildWorkflowFailure.class)
                .cause().isInstanceOf(ApplicationFailure.class)
                .satisfies(e -> assertThat(((ApplicationFailure) e).getType()).isEqualTo("ChildError"));
        assertThat(Histories.contains(tempora.client(), id, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED)).isTrue();
    }

    @Test
    void parentCloseTerminatesChildByDefault() {
        String id = tempora.workflowId("policy-terminate");
        AbandoningParent parent = tempora.client().newWorkflowStub(AbandoningParent.class, tempora.options(id));
        assertThat(parent.run("PARENT_CLOSE_POLICY_TERMINATE")).isEqualTo("left");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                describe(id + "-child").getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED));
    }

    @Test
    void parentCloseRequestsCancelOrAbandons() {
        String cancelId = tempora.workflowId("policy-cancel");
        tempora.client().newWorkflowStub(AbandoningParent.class, tempora.options(cancelId)).run("PARENT_CLOSE_POLICY_REQUEST_CANCEL");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                describe(cancelId + "-child").getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED));

        String abandonId = tempora.workflowId("policy-abandon");
        tempora.client().newWorkflowStub(AbandoningParent.class, tempora.options(abandonId)).run("PARENT_CLOSE_POLICY_ABANDON");
        assertThat(describe(abandonId + "-child").getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
        tempora.client().newUntypedWorkflowStub(abandonId + "-child").terminate("test cleanup");
    }

    @Test
    void workflowsSignalEachOtherAndAMissingTargetFailsTheSignal() throws Exception {
        String receiverId = tempora.workflowId("receiver");
        Receiver receiver = tempora.client().newWorkflowStub(Receiver.class, tempora.options(receiverId));
        WorkflowClient.start(receiver::await);
        String senderId = tempora.workflowId("sender");
        Sender sender = tempora.client().newWorkflowStub(Sender.class, tempora.options(senderId));
        assertThat(sender.send(receiverId)).isEqualTo("sent; missing target failed");
        assertThat(WorkflowStub.fromTyped(receiver).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("got ping");

        List<EventType> senderTypes = Histories.types(Histories.events(tempora.client(), senderId));
        assertThat(senderTypes).containsSubsequence(EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED);
        HistoryEvent signaled = Histories.ofType(Histories.events(tempora.client(), receiverId), EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED).getFirst();
        assertThat(signaled.getWorkflowExecutionSignaledEventAttributes().getSignalName()).isEqualTo("poke");
    }

    @Test
    void aWorkflowRequestsCancellationOfAnother() {
        String receiverId = tempora.workflowId("cancel-target");
        Receiver receiver = tempora.client().newWorkflowStub(Receiver.class, tempora.options(receiverId));
        WorkflowClient.start(receiver::await);
        String cancellerId = tempora.workflowId("canceller");
        assertThat(tempora.client().newWorkflowStub(Canceller.class, tempora.options(cancellerId)).cancel(receiverId))
                .isEqualTo("cancel requested");
        assertThat(Histories.types(Histories.events(tempora.client(), cancellerId))).containsSubsequence(
                EventType.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
                EventType.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                describe(receiverId).getWorkflowExecutionInfo().getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED));
    }

    @Test
    void parentWaitsForAChildThatIsRetried() {
        String id = tempora.workflowId("retrying-parent");
        assertThat(tempora.client().newWorkflowStub(RetryingParent.class, tempora.options(id)).run()).isEqualTo("child attempt 2");
        List<EventType> types = Histories.types(Histories.events(tempora.client(), id));
        assertThat(types).contains(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)
                .doesNotContain(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED);
    }

    private DescribeWorkflowExecutionResponse describe(String workflowId) {
        return tempora.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    }
}
