package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.worker.Worker;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the SDK says about a workflow besides its input: user metadata (summary and details) on starts, activities,
 * timers, markers and children, and the root of a workflow tree.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkflowMetadataTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @ActivityInterface
    public interface Echo {
        String echo(String input);
    }

    public static class EchoImpl implements Echo {
        @Override
        public String echo(String input) {
            return input;
        }
    }

    @WorkflowInterface
    public interface Parent {
        @WorkflowMethod
        String run(String childId);
    }

    public static class ParentImpl implements Parent {
        @Override
        public String run(String childId) {
            Echo remote = Workflow.newActivityStub(Echo.class, ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).setSummary("remote echo").build());
            Echo local = Workflow.newLocalActivityStub(Echo.class, LocalActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10)).setSummary("local echo").build());
            remote.echo("a");
            local.echo("b");
            Workflow.newTimer(Duration.ofMillis(10), TimerOptions.newBuilder().setSummary("short nap").build()).get();
            Child child = Workflow.newChildWorkflowStub(Child.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(childId).setStaticSummary("the child").setStaticDetails("child details").build());
            return child.run();
        }
    }

    @WorkflowInterface
    public interface Child {
        @WorkflowMethod
        String run();
    }

    public static class ChildImpl implements Child {
        @Override
        public String run() {
            return Workflow.getInfo().getRootWorkflowId().orElse("none") + "/" + Workflow.getInfo().getRootRunId().orElse("none")
                    + " parent=" + Workflow.getInfo().getParentWorkflowId().orElse("none");
        }
    }

    @WorkflowInterface
    public interface Root {
        @WorkflowMethod
        String run();

        @SignalMethod
        void poke();
    }

    public static class RootImpl implements Root {
        @Override
        public String run() {
            return Workflow.getInfo().getRootWorkflowId().orElse("none");
        }

        @Override
        public void poke() {
        }
    }

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(ParentImpl.class, ChildImpl.class, RootImpl.class);
        worker.registerActivitiesImplementations(new EchoImpl());
        tempora.startWorkers();
    }

    private static String text(Payload p) {
        return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class);
    }

    private DescribeWorkflowExecutionResponse describe(String workflowId, String runId) {
        return tempora.service().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId)).build());
    }

    @Test
    void userMetadataReachesEventsAndDescribe() {
        String id = tempora.workflowId("meta");
        String childId = id + "-child";
        Parent parent = tempora.client().newWorkflowStub(Parent.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id)
                .setStaticSummary("parent summary").setStaticDetails("parent details").build());
        String result = parent.run(childId);
        String parentRunId = WorkflowStub.fromTyped(parent).getExecution().getRunId();

        var description = WorkflowStub.fromTyped(parent).describe();
        assertThat(description.getStaticSummary()).isEqualTo("parent summary");
        assertThat(description.getStaticDetails()).isEqualTo("parent details");

        List<HistoryEvent> events = Histories.events(tempora.client(), id);
        HistoryEvent started = events.getFirst();
        assertThat(text(started.getUserMetadata().getSummary())).isEqualTo("parent summary");
        assertThat(text(Histories.ofType(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).getFirst().getUserMetadata().getSummary()))
                .isEqualTo("remote echo");
        assertThat(text(Histories.ofType(events, EventType.EVENT_TYPE_MARKER_RECORDED).getFirst().getUserMetadata().getSummary()))
                .isEqualTo("local echo");
        assertThat(text(Histories.ofType(events, EventType.EVENT_TYPE_TIMER_STARTED).getFirst().getUserMetadata().getSummary()))
                .isEqualTo("short nap");
        HistoryEvent initiated = Histories.ofType(events, EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED).getFirst();
        assertThat(text(initiated.getUserMetadata().getSummary())).isEqualTo("the child");

        // The child's own start event and Describe carry what the parent gave it.
        HistoryEvent childStarted = Histories.events(tempora.client(), childId).getFirst();
        assertThat(text(childStarted.getUserMetadata().getDetails())).isEqualTo("child details");
        var childDescription = tempora.client().newUntypedWorkflowStub(childId).describe();
        assertThat(childDescription.getStaticSummary()).isEqualTo("the child");

        // Root: the child knows the top of its tree; a top-level run has no root in its start event.
        assertThat(result).isEqualTo(id + "/" + parentRunId + " parent=" + id);
        assertThat(started.getWorkflowExecutionStartedEventAttributes().hasRootWorkflowExecution()).isFalse();
        assertThat(childStarted.getWorkflowExecutionStartedEventAttributes().getRootWorkflowExecution())
                .isEqualTo(WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(parentRunId).build());
        var childInfo = describe(childId, "").getWorkflowExecutionInfo();
        assertThat(childInfo.getRootExecution().getWorkflowId()).isEqualTo(id);
        assertThat(childInfo.getRootExecution().getRunId()).isEqualTo(parentRunId);
        assertThat(childInfo.getParentExecution().getWorkflowId()).isEqualTo(id);
        var parentInfo = describe(id, "").getWorkflowExecutionInfo();
        assertThat(parentInfo.getRootExecution()).isEqualTo(WorkflowExecution.newBuilder().setWorkflowId(id).setRunId(parentRunId).build());
        assertThat(parentInfo.hasParentExecution()).isFalse();
    }

    @Test
    void topLevelWorkflowHasNoRootIdAndSignalWithStartKeepsMetadata() throws Exception {
        String id = tempora.workflowId("root");
        Root root = tempora.client().newWorkflowStub(Root.class, WorkflowOptions.newBuilder()
                .setTaskQueue(tempora.taskQueue()).setWorkflowId(id).setStaticSummary("sws summary").build());
        BatchRequest request = tempora.client().newSignalWithStartRequest();
        request.add(root::run);
        request.add(root::poke);
        tempora.client().signalWithStart(request);
        assertThat(WorkflowStub.fromTyped(root).getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo("none");
        assertThat(WorkflowStub.fromTyped(root).describe().getStaticSummary()).isEqualTo("sws summary");
    }
}
