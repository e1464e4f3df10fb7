package io.tempora.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tempora.common.proto.ExecutionInfo;
import io.tempora.common.proto.MutableStateRecord;
import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.proto.QueueAckLevel;
import io.tempora.common.proto.ShardInfo;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The semantics every database backend must give the stores (each backend runs the same cases: see the
 * subclasses): writes fenced by the shard lease inside their transaction, conditional record versions,
 * create-if-absent of the current run and of namespaces, and the ack level saved with its trim in one transaction.
 */
abstract class PersistenceContractTest {
    private Database db;
    private ShardStore shards;
    private ExecutionStore executions;
    private HistoryTaskStore tasks;

    /** A fresh, empty database of the backend under test. */
    abstract Database openDatabase() throws Exception;

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        shards = new ShardStore(db);
        executions = new ExecutionStore(db);
        tasks = new HistoryTaskStore(db);
    }

    @AfterEach
    void close() {
        if (db != null) { // null when the backend is not configured here and the test was skipped
            db.close();
        }
    }

    private static MutableStateRecord run(String runId, long version) {
        return MutableStateRecord.newBuilder().setDbVersion(version).setNextEventId(2)
                .setExecution(ExecutionInfo.newBuilder().setNamespaceId("ns").setWorkflowId("wf").setRunId(runId)
                        .setStatus(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE))
                .build();
    }

    private static WorkflowWrite write(long rangeId, MutableStateRecord state, long expected, WorkflowWrite.CurrentMode mode, String previous) {
        return new WorkflowWrite(1, rangeId, state, expected, List.of(), List.of(), mode, previous, null);
    }

    @Test
    void aSecondAcquireMovesTheLeaseOnAndFencesTheFirstOwnersWrites() {
        ShardStore.Lease first = shards.acquire(1);
        ShardStore.Lease second = shards.acquire(1);
        assertThat(second.rangeId()).isGreaterThan(first.rangeId());
        assertThatThrownBy(() -> executions.write(write(first.rangeId(), run("r1", 1), 0, WorkflowWrite.CurrentMode.BRAND_NEW, null)))
                .isInstanceOf(ShardOwnershipLostException.class);
        assertThat(executions.getCurrent(1, "ns", "wf")).as("a fenced write leaves nothing").isEmpty();
        assertThatThrownBy(() -> shards.saveProgress(1, first.rangeId(), ShardInfo.getDefaultInstance()))
                .isInstanceOf(ShardOwnershipLostException.class);
    }

    @Test
    void theCurrentRunIsCreatedOnceAndReplacedOnlyFromTheRunNamed() {
        long range = shards.acquire(1).rangeId();
        executions.write(write(range, run("r1", 1), 0, WorkflowWrite.CurrentMode.BRAND_NEW, null));
        assertThatThrownBy(() -> executions.write(write(range, run("r2", 1), 0, WorkflowWrite.CurrentMode.BRAND_NEW, null)))
                .isInstanceOf(CurrentWorkflowConditionFailedException.class);
        assertThatThrownBy(() -> executions.write(write(range, run("r3", 1), 0, WorkflowWrite.CurrentMode.REPLACE, "not-r1")))
                .isInstanceOf(ConditionFailedException.class);
        executions.write(write(range, run("r4", 1), 0, WorkflowWrite.CurrentMode.REPLACE, "r1"));
        assertThat(executions.getCurrent(1, "ns", "wf")).get().extracting(CurrentExecution::runId).isEqualTo("r4");
        assertThat(executions.get(1, "ns", "wf", "r3")).as("a failed condition writes nothing").isEmpty();
    }

    @Test
    void anUpdateIsConditionalOnTheVersionItRead() {
        long range = shards.acquire(1).rangeId();
        executions.write(write(range, run("r1", 1), 0, WorkflowWrite.CurrentMode.BRAND_NEW, null));
        executions.write(write(range, run("r1", 2), 1, WorkflowWrite.CurrentMode.UPDATE_STATUS, null));
        assertThatThrownBy(() -> executions.write(write(range, run("r1", 3), 1, WorkflowWrite.CurrentMode.UPDATE_STATUS, null)))
                .isExactlyInstanceOf(ConditionFailedException.class);
        assertThat(executions.get(1, "ns", "wf", "r1")).get().extracting(MutableStateRecord::getDbVersion).isEqualTo(2L);
    }

    @Test
    void theAckLevelIsSavedWithItsTrim() {
        long range = shards.acquire(1).rangeId();
        executions.write(new WorkflowWrite(1, range, run("r1", 1), 0, List.of(),
                List.of(new HistoryTask(1, 0, 10, new byte[] {1}), new HistoryTask(1, 0, 15, new byte[] {3}),
                        new HistoryTask(1, 0, 20, new byte[] {2}), new HistoryTask(1, 5, 1, new byte[] {4})),
                WorkflowWrite.CurrentMode.BRAND_NEW, null, null));
        shards.saveProgress(1, range, ShardInfo.newBuilder()
                .putQueueAckLevels(1, QueueAckLevel.newBuilder().setFireTimeMs(0).setTaskId(15).build()).build());
        // Below the ack key (fire time, task id) = (0, 15) goes; the key itself and what sorts after it stay, also a
        // later fire time with a smaller task id.
        assertThat(tasks.read(1, 1, HistoryTask.Key.MIN, Long.MAX_VALUE, 10)).extracting(HistoryTask::taskId).containsExactly(15L, 20L, 1L);
        assertThat(shards.acquire(1).info().getQueueAckLevelsMap().get(1).getTaskId()).isEqualTo(15L);
    }

    @Test
    void aNamespaceNameIsTakenOnceAndUpdatesApplyToTheRecordRead() {
        NamespaceStore namespaces = new NamespaceStore(db);
        namespaces.create(NamespaceRecord.newBuilder().setId("id-1").setName("orders").build());
        assertThatThrownBy(() -> namespaces.create(NamespaceRecord.newBuilder().setId("id-2").setName("orders").build()))
                .isInstanceOf(NamespaceStore.AlreadyExistsException.class);
        var updated = namespaces.update("id-1", ns -> ns.toBuilder().setDescription("v2").build());
        assertThat(updated).get().extracting(NamespaceRecord::getDescription).isEqualTo("v2");
        assertThat(namespaces.getById("id-1")).get().extracting(NamespaceRecord::getDescription).isEqualTo("v2");
    }

    @Test
    void aNamespaceChangedMeanwhileIsReadAgainSoBothChangesStay() {
        NamespaceStore namespaces = new NamespaceStore(db);
        namespaces.create(NamespaceRecord.newBuilder().setId("id-1").setName("orders").build());
        int[] calls = {0};
        namespaces.update("id-1", ns -> {
            if (calls[0]++ == 0) { // another writer changes the record between this read and its write
                namespaces.update("id-1", other -> other.toBuilder().setOwnerEmail("ops@example.com").build());
            }
            return ns.toBuilder().setDescription("v2").build();
        });
        assertThat(calls[0]).as("the change was applied again to the record as changed").isEqualTo(2);
        NamespaceRecord stored = namespaces.getById("id-1").orElseThrow();
        assertThat(stored.getDescription()).isEqualTo("v2");
        assertThat(stored.getOwnerEmail()).isEqualTo("ops@example.com");
    }

    @Test
    void aNamespaceRecordWithFieldsThisVersionDoesNotKnowCanStillBeUpdated() throws Exception {
        NamespaceStore namespaces = new NamespaceStore(db);
        namespaces.create(NamespaceRecord.newBuilder().setId("id-1").setName("orders").build());
        // As written by a version with a field (number 900, a varint) that this one does not know, placed first:
        // re-serializing the parsed record puts it last, so the bytes differ from those stored.
        byte[] known = NamespaceRecord.newBuilder().setId("id-1").setName("orders").build().toByteArray();
        byte[] stored = new byte[known.length + 3];
        stored[0] = (byte) 0xA0; // tag of field 900, wire type 0: (900 << 3) as a varint
        stored[1] = (byte) 0x38;
        stored[2] = 7;
        System.arraycopy(known, 0, stored, 3, known.length);
        db.write(c -> {
            try (var ps = c.prepareStatement("UPDATE namespaces SET data = ? WHERE id = ?")) {
                ps.setBytes(1, stored);
                ps.setString(2, "id-1");
                return ps.executeUpdate();
            }
        });
        var updated = namespaces.update("id-1", ns -> ns.toBuilder().setDescription("v2").build());
        assertThat(updated).get().extracting(NamespaceRecord::getDescription).isEqualTo("v2");
        assertThat(namespaces.getById("id-1")).get().extracting(NamespaceRecord::getDescription).isEqualTo("v2");
    }
}
