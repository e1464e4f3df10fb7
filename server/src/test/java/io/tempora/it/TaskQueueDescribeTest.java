package io.tempora.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.BuildIdTaskReachability;
import io.temporal.api.enums.v1.DescribeTaskQueueMode;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.taskqueue.v1.TaskQueueVersionInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.GetClusterInfoRequest;
import io.temporal.api.workflowservice.v1.GetClusterInfoResponse;
import io.temporal.api.workflowservice.v1.ListTaskQueuePartitionsRequest;
import io.temporal.api.workflowservice.v1.ListTaskQueuePartitionsResponse;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DescribeTaskQueue (legacy and enhanced mode), ListTaskQueuePartitions and GetClusterInfo as the official server
 * answers them for unversioned queues: the workers polling a queue by identity and rate, its backlog and rates.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TaskQueueDescribeTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    @WorkflowInterface
    public interface Idle {
        @WorkflowMethod
        void run();
    }

    public static class IdleImpl implements Idle {
        @Override
        public void run() {
        }
    }

    @io.temporal.activity.ActivityInterface
    public interface Noop {
        void noop();
    }

    public static class NoopImpl implements Noop {
        @Override
        public void noop() {
        }
    }

    private static DescribeTaskQueueResponse describe(DescribeTaskQueueRequest.Builder r) {
        return tempora.service().blockingStub().describeTaskQueue(r.setNamespace(TemporaFixture.NAMESPACE).build());
    }

    private static DescribeTaskQueueRequest.Builder request(String queue, TaskQueueType type) {
        return DescribeTaskQueueRequest.newBuilder().setTaskQueue(TaskQueue.newBuilder().setName(queue)).setTaskQueueType(type);
    }

    @Test
    void pollersAreListedByIdentityWithTheirLastAccessAndRate() {
        String identity = "describe-worker-" + TemporaFixture.shortId();
        WorkflowClient client = WorkflowClient.newInstance(tempora.service(), WorkflowClientOptions.newBuilder()
                .setNamespace(TemporaFixture.NAMESPACE).setIdentity(identity).build());
        WorkerFactory factory = WorkerFactory.newInstance(client);
        try {
            Worker worker = factory.newWorker(tempora.taskQueue(), WorkerOptions.newBuilder().setMaxTaskQueueActivitiesPerSecond(25).build());
            worker.registerWorkflowImplementationTypes(IdleImpl.class);
            worker.registerActivitiesImplementations(new NoopImpl());
            long started = System.currentTimeMillis();
            factory.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<PollerInfo> workflowPollers = describe(request(tempora.taskQueue(), TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)).getPollersList();
                assertThat(workflowPollers).extracting(PollerInfo::getIdentity).containsExactly(identity);
                assertThat(workflowPollers.getFirst().getRatePerSecond()).as("no limit set: the official default").isEqualTo(100_000);
                assertThat(Timestamps.toMillis(workflowPollers.getFirst().getLastAccessTime())).isGreaterThanOrEqualTo(started - 1000);
                List<PollerInfo> activityPollers = describe(request(tempora.taskQueue(), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)).getPollersList();
                assertThat(activityPollers).extracting(PollerInfo::getIdentity).containsExactly(identity);
                assertThat(activityPollers.getFirst().getRatePerSecond()).isEqualTo(25);
            });
            // Unspecified type is the workflow queue; the enhanced mode lists both types under the unversioned "" key.
            assertThat(describe(DescribeTaskQueueRequest.newBuilder().setTaskQueue(TaskQueue.newBuilder().setName(tempora.taskQueue())))
                    .getPollersCount()).isEqualTo(1);
            DescribeTaskQueueResponse enhanced = describe(DescribeTaskQueueRequest.newBuilder()
                    .setTaskQueue(TaskQueue.newBuilder().setName(tempora.taskQueue()))
                    .setApiMode(DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED).setReportPollers(true).setReportTaskReachability(true));
            TaskQueueVersionInfo unversioned = enhanced.getVersionsInfoOrThrow("");
            assertThat(unversioned.getTaskReachability()).isEqualTo(BuildIdTaskReachability.BUILD_ID_TASK_REACHABILITY_REACHABLE);
            assertThat(unversioned.getTypesInfoMap()).containsOnlyKeys(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW_VALUE,
                    TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY_VALUE);
            assertThat(unversioned.getTypesInfoOrThrow(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY_VALUE).getPollersList())
                    .extracting(PollerInfo::getIdentity).containsExactly(identity);
        } finally {
            TemporaFixture.stopFactory(factory);
        }
    }

    @Test
    void aBacklogIsCountedWithItsAgeAndAddRate() throws Exception {
        String queue = "backlog-" + TemporaFixture.shortId();
        for (int i = 0; i < 5; i++) {
            tempora.service().blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                    .setNamespace(TemporaFixture.NAMESPACE).setWorkflowId(tempora.workflowId("backlog")).setRequestId(UUID.randomUUID().toString())
                    .setWorkflowType(WorkflowType.newBuilder().setName("Nobody")).setTaskQueue(TaskQueue.newBuilder().setName(queue)).build());
        }
        Thread.sleep(300);
        DescribeTaskQueueResponse r = describe(request(queue, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
                .setIncludeTaskQueueStatus(true).setReportStats(true));
        assertThat(r.getPollersList()).isEmpty();
        assertThat(r.getTaskQueueStatus().getBacklogCountHint()).isEqualTo(5);
        assertThat(r.getStats().getApproximateBacklogCount()).isEqualTo(5);
        assertThat(Durations.toMillis(r.getStats().getApproximateBacklogAge())).isGreaterThanOrEqualTo(300);
        assertThat(r.getStats().getTasksAddRate()).isPositive();
        assertThat(r.getStats().getTasksDispatchRate()).isZero();
        assertThat(describe(request(queue, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY).setReportStats(true)).getStats().getApproximateBacklogCount())
                .isZero();
    }

    @Test
    void badDescribeRequestsGetTheOfficialErrors() {
        StatusRuntimeException missing = catchThrowableOfType(StatusRuntimeException.class,
                () -> describe(DescribeTaskQueueRequest.newBuilder()));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(missing.getStatus().getDescription()).isEqualTo("taskQueue is not set");
        StatusRuntimeException sticky = catchThrowableOfType(StatusRuntimeException.class, () -> describe(DescribeTaskQueueRequest.newBuilder()
                .setTaskQueue(TaskQueue.newBuilder().setName("s").setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY))
                .setApiMode(DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED)));
        assertThat(sticky.getStatus().getDescription())
                .isEqualTo("Enhanced DescribeTaskQueue is not valid for a sticky queue, use api_mode=UNSPECIFIED or a normal queue.");
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class, () -> tempora.service().blockingStub()
                .describeTaskQueue(DescribeTaskQueueRequest.newBuilder().setNamespace("no-such-namespace")
                        .setTaskQueue(TaskQueue.newBuilder().setName("q")).build()));
        assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void partitionsAndClusterInfo() {
        ListTaskQueuePartitionsResponse partitions = tempora.service().blockingStub().listTaskQueuePartitions(
                ListTaskQueuePartitionsRequest.newBuilder().setNamespace(TemporaFixture.NAMESPACE)
                        .setTaskQueue(TaskQueue.newBuilder().setName("orders")).build());
        assertThat(partitions.getWorkflowTaskQueuePartitionsList()).singleElement().satisfies(p -> {
            assertThat(p.getKey()).isEqualTo("orders");
            assertThat(p.getOwnerHostName()).isEqualTo(tempora.target());
        });
        assertThat(partitions.getActivityTaskQueuePartitionsCount()).isEqualTo(1);

        GetClusterInfoResponse info = tempora.service().blockingStub().getClusterInfo(GetClusterInfoRequest.getDefaultInstance());
        assertThat(info.getClusterName()).isEqualTo("active");
        assertThat(info.getClusterId()).hasSize(36);
        assertThat(info.getHistoryShardCount()).isEqualTo(4);
        assertThat(info.getPersistenceStore()).isEqualTo("sqlite");
        assertThat(info.getVisibilityStore()).isEqualTo("sqlite");
        assertThat(info.getServerVersion()).isNotEmpty();
        assertThat(info.getSupportedClientsMap()).containsEntry("temporal-java", "<2.0.0").containsEntry("temporal-ui", "<3.0.0");
        assertThat(tempora.service().blockingStub().getClusterInfo(GetClusterInfoRequest.getDefaultInstance()).getClusterId())
                .as("the same id every time").isEqualTo(info.getClusterId());
    }
}
