package io.tempora.history.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tempora.common.Times;
import io.tempora.history.shard.ShardController;
import io.tempora.persistence.Database;
import io.tempora.persistence.ExecutionStore;
import io.tempora.persistence.PersistenceException;
import io.tempora.persistence.HistoryTaskStore;
import io.tempora.persistence.ShardStore;
import io.tempora.persistence.WorkflowWrite;
import io.tempora.persistence.sql.SqliteDatabase;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What readers of a run see while its transitions are committed: only durable state (a pipelined transition whose
 * commit is still running or fails is invisible), and one live copy of a run's state however the cache evicts.
 */
class WorkflowsConsistencyTest {
    private Database db;
    private GatedWriter gate;
    private ShardController shards;
    private ExecutionStore executions;
    /** What the timer executor saw: "timerId=whether the state it read holds the timer". */
    private final java.util.Queue<String> timerTasks = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private Workflows workflows;
    /** Its own threads: the common pool may have a single thread here, which a blocked action would hold. */
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception {
        Path dir = Files.createTempDirectory("tempora-workflows-test");
        db = SqliteDatabase.open(dir.resolve("test.db"), writer -> gate = new GatedWriter(writer));
        executions = new ExecutionStore(db);
        shards = new ShardController(1, new ShardStore(db), new HistoryTaskStore(db), executions, io.tempora.history.queues.QueueOptions.defaults());
        shards.start(task -> { }, task -> timerTasks.add(task.getTimerId() + "=" + workflows.get(
                new WorkflowKey(task.getNamespaceId(), task.getWorkflowId(), task.getRunId())).containsTimers(task.getTimerId())), task -> { });
        workflows = new Workflows(shards, executions, new ExecutionNotifier(), 64 << 20);
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        shards.close();
        db.close();
    }

    private WorkflowKey startRun() {
        WorkflowKey key = new WorkflowKey("ns", "wf-" + UUID.randomUUID(), UUID.randomUUID().toString());
        MutableState ms = MutableState.create(key, System.currentTimeMillis());
        ExecutionStateMachine.start(ms, WorkflowExecutionStartedEventAttributes.newBuilder()
                .setWorkflowType(WorkflowType.newBuilder().setName("T"))
                .setTaskQueue(TaskQueue.newBuilder().setName("q"))
                .setWorkflowTaskTimeout(Times.duration(10_000))
                .setFirstExecutionRunId(key.runId())
                .build(), "req");
        workflows.create(ms, WorkflowWrite.CurrentMode.BRAND_NEW, null);
        return key;
    }

    private CompletableFuture<Void> signalAsync(WorkflowKey key, String name) {
        return CompletableFuture.runAsync(() -> workflows.update(key, ms -> {
            SignalStateMachine.signal(ms, name, null, "test", null, "");
            return null;
        }), callers);
    }

    @Test
    void aTransitionIsInvisibleToReadersUntilItsCommitIsDurable() throws Exception {
        WorkflowKey key = startRun();
        long before = workflows.get(key).getNextEventId();
        gate.hold();
        CompletableFuture<Void> signal = signalAsync(key, "s1");
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.heldCount() == 1);

        assertThat(workflows.get(key).getNextEventId()).as("state while the commit runs").isEqualTo(before);
        assertThat(workflows.readHistory(key, 1, 100)).as("history while the commit runs").hasSize((int) before - 1);
        assertThat(workflows.awaitState(key, st -> st.getNextEventId() > before, System.currentTimeMillis() + 200).getNextEventId())
                .as("a long poll while the commit runs").isEqualTo(before);

        gate.release();
        signal.get(5, TimeUnit.SECONDS);
        assertThat(workflows.get(key).getNextEventId()).isGreaterThan(before);
        assertThat(workflows.readHistory(key, 1, 100)).hasSize((int) workflows.get(key).getNextEventId() - 1);
    }

    @Test
    void aTransitionsTasksReadTheStateTheyCameFrom() throws Exception {
        WorkflowKey key = startRun();
        for (int i = 0; i < 50; i++) {
            String timerId = "t" + i;
            workflows.update(key, ms -> {
                TimerStateMachine.start(ms, io.temporal.api.command.v1.StartTimerCommandAttributes.newBuilder()
                        .setTimerId(timerId).setStartToFireTimeout(Times.duration(0)).build(), 0);
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> timerTasks.size() == 50);
        assertThat(timerTasks).as("each timer task, when it ran, found its timer").allMatch(s -> s.endsWith("=true"));
    }

    @Test
    void aFailedCommitLeavesNothingBehind() throws Exception {
        WorkflowKey key = startRun();
        long before = workflows.get(key).getNextEventId();
        gate.hold();
        CompletableFuture<Void> signal = signalAsync(key, "lost");
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.heldCount() == 1);
        gate.fail(new PersistenceException("injected disk failure"));
        assertThatThrownBy(() -> signal.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("injected disk failure");

        assertThat(workflows.get(key).getNextEventId()).isEqualTo(before);
        assertThat(workflows.readHistory(key, 1, 100)).hasSize((int) before - 1);
        signalAsync(key, "kept").get(5, TimeUnit.SECONDS);
        assertThat(workflows.readHistory(key, 1, 100)).extracting(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
                .contains("kept").doesNotContain("lost");
    }

    @Test
    void aDecisionThatChangesNothingWaitsForTheTransitionsItRead() throws Exception {
        WorkflowKey key = startRun();
        long before = workflows.get(key).getNextEventId();
        gate.hold();
        CompletableFuture<Void> signal = signalAsync(key, "lost");
        await().atMost(Duration.ofSeconds(5)).until(() -> gate.heldCount() == 1);
        // E.g. a timer executor finding its timer gone: it must not ack its task on the strength of a pending commit.
        CompletableFuture<Long> seen = CompletableFuture.supplyAsync(() -> workflows.update(key, MutableState::nextEventId), callers);
        Thread.sleep(300);
        assertThat(seen).as("answered before the transition it read was durable").isNotDone();
        gate.fail(new PersistenceException("injected disk failure"));
        assertThatThrownBy(() -> signal.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("injected disk failure");
        assertThat(seen.get(5, TimeUnit.SECONDS)).as("what it decided on, after the commit failed").isEqualTo(before);
    }

    @Test
    void aRunInUseIsNeverEvictedIntoASecondCopy() throws Exception {
        // No idle cache: every run that is not in use is evicted at once.
        workflows = new Workflows(shards, executions, new ExecutionNotifier(), 0);
        WorkflowKey key = startRun();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        AtomicBoolean secondEntered = new AtomicBoolean();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> workflows.update(key, ms -> {
            inside.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            SignalStateMachine.signal(ms, "first", null, "test", null, "");
            return null;
        }), callers);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        // Other runs come and go meanwhile, each used more often than this one: the smallest cache evicts what it can.
        for (int i = 0; i < 20; i++) {
            WorkflowKey other = startRun();
            for (int j = 0; j < 10; j++) {
                workflows.get(other);
            }
        }
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> workflows.update(key, ms -> {
            secondEntered.set(true);
            SignalStateMachine.signal(ms, "second", null, "test", null, "");
            return null;
        }), callers);
        Thread.sleep(500);
        assertThat(secondEntered).as("a second transition of the run started while the first was still running").isFalse();
        leave.countDown();
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        assertThat(workflows.readHistory(key, 1, 100)).extracting(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
                .containsSubsequence("first", "second");
    }
}
