package io.tempora.matching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.Timestamp;
import io.temporal.api.deployment.v1.WorkerDeploymentOptions;
import io.temporal.api.taskqueue.v1.PollerInfo;
import io.temporal.api.taskqueue.v1.TaskQueueMetadata;
import io.temporal.api.common.v1.WorkerVersionCapabilities;
import java.time.Duration;
import java.util.List;

/**
 * The workers that polled a task queue partition lately, one entry per identity, as DescribeTaskQueue lists them.
 * As the official poller history: an entry lives five minutes after its last poll (matching.PollerHistoryTTL), at
 * most 1,000 identities are kept, and the rate is the worker's max_tasks_per_second (100,000 when it set none).
 */
final class PollerHistory {
    static final Duration TTL = Duration.ofMinutes(5);
    static final int MAX_POLLERS = 1000;
    /** The official defaultTaskDispatchRPS: the rate a poller reports when its worker set no limit. */
    static final double DEFAULT_RATE_PER_SECOND = 100_000;

    private final Cache<String, PollerInfo> pollers = Caffeine.newBuilder().executor(Runnable::run).expireAfterWrite(TTL).maximumSize(MAX_POLLERS).build();

    /** Records a poll (at its start and at its end); polls without an identity are not listed. */
    void record(String identity, TaskQueueMetadata metadata, WorkerVersionCapabilities capabilities, WorkerDeploymentOptions deployment) {
        if (identity.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        PollerInfo.Builder info = PollerInfo.newBuilder().setIdentity(identity)
                .setLastAccessTime(Timestamp.newBuilder().setSeconds(now / 1000).setNanos((int) (now % 1000) * 1_000_000))
                .setRatePerSecond(metadata.hasMaxTasksPerSecond() ? metadata.getMaxTasksPerSecond().getValue() : DEFAULT_RATE_PER_SECOND);
        if (capabilities != null && !capabilities.equals(WorkerVersionCapabilities.getDefaultInstance())) {
            info.setWorkerVersionCapabilities(capabilities);
        }
        if (deployment != null && !deployment.equals(WorkerDeploymentOptions.getDefaultInstance())) {
            info.setDeploymentOptions(deployment);
        }
        pollers.put(identity, info.build());
    }

    List<PollerInfo> list() {
        return List.copyOf(pollers.asMap().values());
    }
}
