package io.tempora.common.rpc;

import io.tempora.common.proto.admin.DeadLetter;
import io.tempora.common.proto.admin.DeadLettersRequest;
import io.tempora.common.proto.admin.DeadLettersResponse;
import java.util.List;

/** The operator's view of history's task dead-letter queue: list, run again (leaves the queue on success), purge. */
public interface DeadLetterAdmin {
    /** Dead-lettered tasks in queue order; {@code shardId} 0 means every shard. */
    List<DeadLetter> list(int shardId, int limit);

    DeadLettersResponse rerun(DeadLettersRequest request);

    DeadLettersResponse purge(DeadLettersRequest request);
}
