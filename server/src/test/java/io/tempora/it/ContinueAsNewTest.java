package io.tempora.it;

import static io.tempora.it.TemporaFixture.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionContinuedAsNewEventAttributes;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.worker.Worker;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ContinueAsNewWorkflowExecution: a chain of runs under one workflow id, each carrying input, memo, search
 * attributes and the first run's id, and a client whose getResult follows the chain.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ContinueAsNewTest {

    @RegisterExtension
    static final TemporaFixture tempora = new TemporaFixture();

    static final String CHAIN_TYPE = "ContinueAsNewChain";
    static final String RELABEL_TYPE = "ContinueAsNewRelabel";
    static final String SA_NAME = "CustomKeywordField";
    static final SearchAttributeKey<String> SA_KEY = SearchAttributeKey.forKeyword(SA_NAME);
    static final String MEMO_KEY = "owner";

    // ------------------------------------------------------------------ workflow types

    @WorkflowInterface
    public interface ChainWorkflow {
        /**
         * Appends what this run sees to {@code trace} and continues as new until {@code iteration == last}; the
         * last run returns the whole trace (runs separated by ';').
         */
        @WorkflowMethod(name = CHAIN_TYPE)
        String run(int iteration, int last, String trace);
    }

    public static class ChainWorkflowImpl implements ChainWorkflow {
        @Override
        public String run(int iteration, int last, String trace) {
            WorkflowInfo info = Workflow.getInfo();
            String entry = String.join("|",
                    Integer.toString(iteration),
                    info.getWorkflowId(),
                    info.getRunId(),
                    info.getFirstExecutionRunId(),
                    info.getContinuedExecutionRunId().orElse("-"),
                    String.valueOf(Workflow.getMemo(MEMO_KEY, String.class)),
                    String.valueOf(Workflow.getTypedSearchAttributes().get(SA_KEY)));
            String next = trace.isEmpty() ? entry : trace + ";" + entry;
            if (iteration < last) {
                Workflow.continueAsNew(iteration + 1, last, next);
            }
            return next;
        }
    }

    @WorkflowInterface
    public interface RelabelWorkflow {
        @WorkflowMethod(name = RELABEL_TYPE)
        String run(int iteration);
    }

    /** The first run continues as new with a new memo and new search attributes; the second reports them. */
    public static class RelabelWorkflowImpl implements RelabelWorkflow {
        @Override
        public String run(int iteration) {
            if (iteration == 0) {
                Workflow.continueAsNew(ContinueAsNewOptions.newBuilder()
                        .setMemo(Map.of(MEMO_KEY, "second-owner"))
                        .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                                .set(SA_KEY, "relabeled")
                                .build())
                        .build(), 1);
            }
            return Workflow.getMemo(MEMO_KEY, String.class) + "/" + Workflow.getTypedSearchAttributes().get(SA_KEY);
        }
    }

    /** What one run reported about itself. */
    record RunView(int iteration, String workflowId, String runId, String firstRunId, String continuedFrom,
                   String memo, String searchAttribute) {
        static RunView parse(String entry) {
            String[] f = entry.split("\\|", -1);
            assertThat(f).as("trace entry %s", entry).hasSize(7);
            return new RunView(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4], f[5], f[6]);
        }
    }

    // ------------------------------------------------------------------ plumbing

    @BeforeEach
    void startWorker() {
        Worker worker = tempora.newWorker();
        worker.registerWorkflowImplementationTypes(ChainWorkflowImpl.class, RelabelWorkflowImpl.class);
        tempora.startWorkers();
    }

    private static WorkflowOptions optionsWithMemoAndSearchAttributes(String workflowId, String owner, String label) {
        return WorkflowOptions.newBuilder(tempora.options(workflowId))
                .setMemo(Map.of(MEMO_KEY, owner))
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder().set(SA_KEY, label).build())
                .build();
    }

    private static List<HistoryEvent> history(String workflowId, String runId) {
        return tempora.client().fetchHistory(workflowId, runId).getEvents();
    }

    private static WorkflowExecutionStatus status(String workflowId, String runId) {
        return tempora.service().blockingStub().withDeadlineAfter(15, TimeUnit.SECONDS)
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                        .build())
                .getWorkflowExecutionInfo().getStatus();
    }

    private static <T> T decode(Payloads payloads, int index, Class<T> type) {
        return GlobalDataConverter.get().fromPayloads(index, Optional.of(payloads), type, type);
    }

    private static String decode(Payload payload) {
        DataConverter converter = GlobalDataConverter.get();
        return converter.fromPayload(payload, String.class, String.class);
    }

    private static String memoValue(Memo memo) {
        Payload p = memo.getFieldsMap().get(MEMO_KEY);
        return p == null ? null : decode(p);
    }

    private static String searchAttributeValue(SearchAttributes searchAttributes) {
        Payload p = searchAttributes.getIndexedFieldsMap().get(SA_NAME);
        return p == null ? null : decode(p);
    }

    private static HistoryEvent last(List<HistoryEvent> events) {
        return events.get(events.size() - 1);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void chainOfRunsSharesTheWorkflowIdAndCarriesInputMemoSearchAttributesAndFirstRunId() throws Exception {
        String id = tempora.workflowId("chain");
        int last = 3;
        ChainWorkflow wf = tempora.client().newWorkflowStub(ChainWorkflow.class,
                optionsWithMemoAndSearchAttributes(id, "chain-owner", "chain-label"));
        WorkflowExecution firstRun = WorkflowClient.start(wf::run, 0, last, "");

        // The typed stub is bound to the workflow id: getResult follows the chain to the last run.
        String result = WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class);

        List<RunView> runs = Arrays.stream(result.split(";")).map(RunView::parse).toList();
        assertThat(runs).extracting(RunView::iteration).containsExactly(0, 1, 2, 3);
        assertThat(runs.get(0).runId()).isEqualTo(firstRun.getRunId());
        assertThat(runs).extracting(RunView::runId).doesNotHaveDuplicates();
        for (int k = 0; k <= last; k++) {
            RunView run = runs.get(k);
            assertThat(run.workflowId()).as("workflow id of run %d", k).isEqualTo(id);
            assertThat(run.firstRunId()).as("first execution run id seen by run %d", k).isEqualTo(firstRun.getRunId());
            assertThat(run.continuedFrom()).as("continued execution run id seen by run %d", k)
                    .isEqualTo(k == 0 ? "-" : runs.get(k - 1).runId());
            assertThat(run.memo()).as("memo seen by run %d", k).isEqualTo("chain-owner");
            assertThat(run.searchAttribute()).as("search attribute seen by run %d", k).isEqualTo("chain-label");
        }

        // A stub bound to the first run id follows the chain as well.
        WorkflowStub byFirstRun = tempora.client().newUntypedWorkflowStub(id, Optional.of(firstRun.getRunId()),
                Optional.of(CHAIN_TYPE));
        assertThat(byFirstRun.getResult(30, TimeUnit.SECONDS, String.class)).isEqualTo(result);

        // The histories the server wrote, run by run.
        String traceSoFar = "";
        for (int k = 0; k <= last; k++) {
            String runId = runs.get(k).runId();
            List<HistoryEvent> events = history(id, runId);
            Histories.assertWellFormed(id + "/" + runId, events);
            WorkflowExecutionStartedEventAttributes started = events.get(0).getWorkflowExecutionStartedEventAttributes();
            assertThat(started.getWorkflowType().getName()).isEqualTo(CHAIN_TYPE);
            assertThat(started.getTaskQueue().getName()).isEqualTo(tempora.taskQueue());
            assertThat(started.getFirstExecutionRunId()).as("first_execution_run_id of run %d", k)
                    .isEqualTo(firstRun.getRunId());
            assertThat(started.getOriginalExecutionRunId()).as("original_execution_run_id of run %d", k)
                    .isEqualTo(runId);
            assertThat(memoValue(started.getMemo())).as("memo of run %d", k).isEqualTo("chain-owner");
            assertThat(searchAttributeValue(started.getSearchAttributes())).as("search attributes of run %d", k)
                    .isEqualTo("chain-label");
            assertThat(decode(started.getInput(), 0, Integer.class)).as("input of run %d", k).isEqualTo(k);
            assertThat(decode(started.getInput(), 1, Integer.class)).isEqualTo(last);
            assertThat(decode(started.getInput(), 2, String.class)).isEqualTo(traceSoFar);
            // (The initiator is copied from the command, which the Java SDK leaves unspecified, as Temporal does.)
            assertThat(started.getContinuedExecutionRunId()).as("continued_execution_run_id of run %d", k)
                    .isEqualTo(k == 0 ? "" : runs.get(k - 1).runId());
            traceSoFar = traceSoFar.isEmpty() ? result.split(";")[k] : traceSoFar + ";" + result.split(";")[k];

            HistoryEvent close = last(events);
            if (k < last) {
                assertThat(close.getEventType()).as("last event of run %d", k)
                        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
                WorkflowExecutionContinuedAsNewEventAttributes can =
                        close.getWorkflowExecutionContinuedAsNewEventAttributes();
                assertThat(can.getNewExecutionRunId()).as("new_execution_run_id of run %d", k)
                        .isEqualTo(runs.get(k + 1).runId());
                assertThat(can.getWorkflowType().getName()).isEqualTo(CHAIN_TYPE);
                assertThat(can.getTaskQueue().getName()).isEqualTo(tempora.taskQueue());
                assertThat(decode(can.getInput(), 0, Integer.class)).isEqualTo(k + 1);
                assertThat(decode(can.getInput(), 2, String.class)).isEqualTo(traceSoFar);
                assertThat(can.getWorkflowTaskCompletedEventId()).isEqualTo(close.getEventId() - 1);
                assertThat(events.get(events.size() - 2).getEventType())
                        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
                assertThat(status(id, runId)).as("status of run %d", k)
                        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW);
            } else {
                assertThat(close.getEventType()).as("last event of the last run")
                        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
                assertThat(decode(close.getWorkflowExecutionCompletedEventAttributes().getResult(), 0, String.class))
                        .isEqualTo(result);
                assertThat(status(id, runId)).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
            }
        }

        // Without a run id, the workflow id means the latest run.
        List<HistoryEvent> latest = Histories.events(tempora.client(), id);
        assertThat(latest.get(0).getWorkflowExecutionStartedEventAttributes().getOriginalExecutionRunId())
                .isEqualTo(runs.get(last).runId());
    }

    @Test
    void continueAsNewOptionsReplaceMemoAndSearchAttributesOfTheNextRun() throws Exception {
        String id = tempora.workflowId("relabel");
        RelabelWorkflow wf = tempora.client().newWorkflowStub(RelabelWorkflow.class,
                optionsWithMemoAndSearchAttributes(id, "first-owner", "original"));
        WorkflowExecution firstRun = WorkflowClient.start(wf::run, 0);

        String result = WorkflowStub.fromTyped(wf).getResult(30, TimeUnit.SECONDS, String.class);

        assertThat(result).isEqualTo("second-owner/relabeled");
        List<HistoryEvent> first = history(id, firstRun.getRunId());
        Histories.assertWellFormed(id, first);
        assertThat(memoValue(first.get(0).getWorkflowExecutionStartedEventAttributes().getMemo()))
                .isEqualTo("first-owner");
        HistoryEvent can = last(first);
        assertThat(can.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
        String secondRunId = can.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
        assertThat(secondRunId).isNotEmpty().isNotEqualTo(firstRun.getRunId());

        List<HistoryEvent> second = history(id, secondRunId);
        Histories.assertWellFormed(id, second);
        WorkflowExecutionStartedEventAttributes started = second.get(0).getWorkflowExecutionStartedEventAttributes();
        assertThat(memoValue(started.getMemo())).isEqualTo("second-owner");
        assertThat(searchAttributeValue(started.getSearchAttributes())).isEqualTo("relabeled");
        assertThat(started.getContinuedExecutionRunId()).isEqualTo(firstRun.getRunId());
        assertThat(started.getFirstExecutionRunId()).isEqualTo(firstRun.getRunId());
        assertThat(decode(started.getInput(), 0, Integer.class)).isEqualTo(1);
        assertThat(last(second).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
    }

    @Test
    void longChainEndsWithOneCompletedRunAndEveryEarlierRunContinuedAsNew() throws Exception {
        String id = tempora.workflowId("long-chain");
        int last = 9;
        ChainWorkflow wf = tempora.client().newWorkflowStub(ChainWorkflow.class, tempora.options(id));
        WorkflowExecution firstRun = WorkflowClient.start(wf::run, 0, last, "");

        // A stub bound to the first run's id follows all ten runs.
        String result = tempora.client().newUntypedWorkflowStub(id, Optional.of(firstRun.getRunId()),
                Optional.of(CHAIN_TYPE)).getResult(30, TimeUnit.SECONDS, String.class);

        List<RunView> runs = Arrays.stream(result.split(";")).map(RunView::parse).toList();
        assertThat(runs).hasSize(last + 1);
        assertThat(runs).extracting(RunView::memo).containsOnly("null");
        List<String> followed = new ArrayList<>();
        String runId = firstRun.getRunId();
        while (true) {
            followed.add(runId);
            List<HistoryEvent> events = history(id, runId);
            Histories.assertWellFormed(id + "/" + runId, events);
            HistoryEvent close = last(events);
            if (close.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
                assertThat(close.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
                break;
            }
            assertThat(followed).as("chain of new_execution_run_id").hasSizeLessThanOrEqualTo(last);
            runId = close.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId();
        }
        assertThat(followed).as("run ids along new_execution_run_id")
                .containsExactlyElementsOf(runs.stream().map(RunView::runId).toList());
    }
}
