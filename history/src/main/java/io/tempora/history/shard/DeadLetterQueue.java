package io.tempora.history.shard;

import com.google.protobuf.TextFormat;
import io.tempora.common.ServiceErrors;
import io.tempora.common.proto.TimerTask;
import io.tempora.common.proto.TransferTask;
import io.tempora.common.proto.admin.DeadLetter;
import io.tempora.common.proto.admin.DeadLetterFailure;
import io.tempora.common.proto.admin.DeadLetterRef;
import io.tempora.common.proto.admin.DeadLettersRequest;
import io.tempora.common.proto.admin.DeadLettersResponse;
import io.tempora.history.queues.TaskCategory;
import io.tempora.persistence.HistoryTaskStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The operator's view of the history task dead-letter queue: list what was parked, run it again (it leaves the
 * queue when it succeeds) or purge it.
 */
public final class DeadLetterQueue implements io.tempora.common.rpc.DeadLetterAdmin {
    /** How many tasks one "all" re-run or purge goes through. */
    private static final int ALL_LIMIT = 10_000;

    private final ShardController shards;
    private final HistoryTaskStore store;

    public DeadLetterQueue(ShardController shards) {
        this.shards = shards;
        this.store = shards.historyTasks();
    }

    @Override
    public List<DeadLetter> list(int shardId, int limit) {
        List<DeadLetter> out = new ArrayList<>();
        for (HistoryTaskStore.DeadLetter d : store.listDeadLetters(shardId, limit)) {
            out.add(DeadLetter.newBuilder().setRef(ref(d)).setAttempts(d.attempts()).setLastError(d.lastError())
                    .setAddedTimeMs(d.addedTimeMs()).setTask(describe(d)).build());
        }
        return out;
    }

    @Override
    public DeadLettersResponse rerun(DeadLettersRequest request) {
        DeadLettersResponse.Builder r = DeadLettersResponse.newBuilder();
        for (HistoryTaskStore.DeadLetter d : select(request)) {
            try {
                shards.rerun(d);
                r.addDone(ref(d));
            } catch (Exception e) {
                r.addFailed(DeadLetterFailure.newBuilder().setRef(ref(d)).setError(String.valueOf(e)));
            }
        }
        return r.build();
    }

    @Override
    public DeadLettersResponse purge(DeadLettersRequest request) {
        DeadLettersResponse.Builder r = DeadLettersResponse.newBuilder();
        for (HistoryTaskStore.DeadLetter d : select(request)) {
            store.deleteDeadLetter(d.shardId(), d.task());
            r.addDone(ref(d));
        }
        return r.build();
    }

    private List<HistoryTaskStore.DeadLetter> select(DeadLettersRequest request) {
        if (request.getAll()) {
            return store.listDeadLetters(0, ALL_LIMIT);
        }
        List<HistoryTaskStore.DeadLetter> found = new ArrayList<>();
        for (DeadLetterRef ref : request.getRefsList()) {
            TaskCategory category = TaskCategory.ALL.stream().filter(c -> c.name().equals(ref.getCategory())).findFirst()
                    .orElseThrow(() -> ServiceErrors.invalidArgument("unknown task category \"" + ref.getCategory() + "\" (transfer, timer)"));
            found.add(store.findDeadLetter(ref.getShardId(), category.id(), ref.getFireTimeMs(), ref.getTaskId())
                    .orElseThrow(() -> ServiceErrors.notFound("no dead-lettered " + ref.getCategory() + " task " + ref.getTaskId()
                            + " in shard " + ref.getShardId())));
        }
        return found;
    }

    private static DeadLetterRef ref(HistoryTaskStore.DeadLetter d) {
        return DeadLetterRef.newBuilder().setShardId(d.shardId()).setCategory(TaskCategory.byId(d.task().categoryId()).name())
                .setFireTimeMs(d.task().fireTimeMs()).setTaskId(d.task().taskId()).build();
    }

    private static String describe(HistoryTaskStore.DeadLetter d) {
        try {
            return TextFormat.shortDebugString(d.task().categoryId() == TaskCategory.TRANSFER.id()
                    ? TransferTask.parseFrom(d.task().data()) : TimerTask.parseFrom(d.task().data()));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return "(unreadable: " + d.task().data().length + " bytes)";
        }
    }
}
