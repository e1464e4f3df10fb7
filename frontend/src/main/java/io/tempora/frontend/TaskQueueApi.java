package io.tempora.frontend;

import com.google.protobuf.util.Durations;
import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.rpc.MatchingService;
import io.tempora.common.rpc.TaskQueueDescription;
import io.temporal.api.enums.v1.DescribeTaskQueueMode;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.enums.v1.BuildIdTaskReachability;
import io.temporal.api.taskqueue.v1.TaskQueuePartitionMetadata;
import io.temporal.api.taskqueue.v1.TaskQueueStats;
import io.temporal.api.taskqueue.v1.TaskQueueStatus;
import io.temporal.api.taskqueue.v1.TaskQueueTypeInfo;
import io.temporal.api.taskqueue.v1.TaskQueueVersionInfo;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueResponse;
import io.temporal.api.workflowservice.v1.ListTaskQueuePartitionsRequest;
import io.temporal.api.workflowservice.v1.ListTaskQueuePartitionsResponse;
import java.util.List;

/**
 * DescribeTaskQueue and ListTaskQueuePartitions as the official frontend and matching answer them for a queue
 * without worker versioning. A Tempora task queue has one partition (the root), owned by this server.
 */
final class TaskQueueApi {
    /** The versions_info key of the unversioned queue (no build id). */
    private static final String UNVERSIONED = "";

    private final MatchingService matching;
    private final RequestValidator validate;
    private final java.util.function.Supplier<String> hostName;

    TaskQueueApi(MatchingService matching, RequestValidator validate, java.util.function.Supplier<String> hostName) {
        this.matching = matching;
        this.validate = validate;
        this.hostName = hostName;
    }

    DescribeTaskQueueResponse describe(NamespaceRecord ns, DescribeTaskQueueRequest r) {
        validate.taskQueue(r.getTaskQueue(), r.hasTaskQueue());
        boolean sticky = r.getTaskQueue().getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY;
        if (r.getApiMode() == DescribeTaskQueueMode.DESCRIBE_TASK_QUEUE_MODE_ENHANCED) {
            if (sticky) {
                throw ServiceErrors.invalidArgument(
                        "Enhanced DescribeTaskQueue is not valid for a sticky queue, use api_mode=UNSPECIFIED or a normal queue.");
            }
            return enhanced(ns, r);
        }
        TaskQueueType type = r.getTaskQueueType() == TaskQueueType.TASK_QUEUE_TYPE_UNSPECIFIED ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW
                : r.getTaskQueueType();
        if (r.getReportStats() && sticky) {
            throw ServiceErrors.invalidArgument("DescribeTaskQueue stats are only supported for the root partition");
        }
        TaskQueueDescription d = matching.describeTaskQueue(ns.getId(), r.getTaskQueue().getName(), type);
        DescribeTaskQueueResponse.Builder b = DescribeTaskQueueResponse.newBuilder().addAllPollers(d.pollers());
        if (r.getIncludeTaskQueueStatus()) {
            b.setTaskQueueStatus(TaskQueueStatus.newBuilder().setBacklogCountHint(d.backlogCount())
                    .setRatePerSecond(effectiveRate(d)));
        }
        if (r.getReportStats()) {
            b.setStats(stats(d));
        }
        return b.build();
    }

    /** Enhanced mode: the unversioned queue ("" build id) with its pollers, stats and reachability per type asked for. */
    private DescribeTaskQueueResponse enhanced(NamespaceRecord ns, DescribeTaskQueueRequest r) {
        List<TaskQueueType> types = r.getTaskQueueTypesCount() == 0
                ? List.of(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY) : r.getTaskQueueTypesList();
        TaskQueueVersionInfo.Builder version = TaskQueueVersionInfo.newBuilder();
        for (TaskQueueType type : types) {
            TaskQueueDescription d = matching.describeTaskQueue(ns.getId(), r.getTaskQueue().getName(), type);
            TaskQueueTypeInfo.Builder info = TaskQueueTypeInfo.newBuilder();
            if (r.getReportPollers()) {
                info.addAllPollers(d.pollers());
            }
            if (r.getReportStats()) {
                info.setStats(stats(d));
            }
            version.putTypesInfo(type.getNumber(), info.build());
        }
        // Unversioned, with no assignment rules: new workflows land here, so it is reachable (the official answer).
        if (r.getReportTaskReachability()) {
            version.setTaskReachability(BuildIdTaskReachability.BUILD_ID_TASK_REACHABILITY_REACHABLE);
        }
        return DescribeTaskQueueResponse.newBuilder().putVersionsInfo(UNVERSIONED, version.build()).build();
    }

    /**
     * The dispatch rate limit in force, as the official status reports it: the limit the workers ask for (their
     * max_tasks_per_second; the lowest when they differ), else the official default of 100,000 per second.
     */
    private static double effectiveRate(TaskQueueDescription d) {
        return d.pollers().stream().mapToDouble(io.temporal.api.taskqueue.v1.PollerInfo::getRatePerSecond).min().orElse(100_000);
    }

    private static TaskQueueStats stats(TaskQueueDescription d) {
        return TaskQueueStats.newBuilder().setApproximateBacklogCount(d.backlogCount())
                .setApproximateBacklogAge(Durations.fromMillis(d.backlogAgeMs()))
                .setTasksAddRate((float) d.addRatePerSecond()).setTasksDispatchRate((float) d.dispatchRatePerSecond()).build();
    }

    ListTaskQueuePartitionsResponse listPartitions(ListTaskQueuePartitionsRequest r) {
        validate.taskQueue(r.getTaskQueue(), r.hasTaskQueue());
        TaskQueuePartitionMetadata root = TaskQueuePartitionMetadata.newBuilder().setKey(r.getTaskQueue().getName())
                .setOwnerHostName(hostName.get()).build();
        return ListTaskQueuePartitionsResponse.newBuilder().addActivityTaskQueuePartitions(root).addWorkflowTaskQueuePartitions(root).build();
    }
}
