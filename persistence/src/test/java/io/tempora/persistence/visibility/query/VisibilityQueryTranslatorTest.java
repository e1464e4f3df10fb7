package io.tempora.persistence.visibility.query;

import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
import static io.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.temporal.api.enums.v1.IndexedValueType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every accepted query runs against a real SQLite database built from the V4 migration, with ten hand-written runs
 * (open and closed, every attribute type, attributes set and unset); each case names the exact runs it must match.
 * Every refused query names the exact message the official server gives.
 */
class VisibilityQueryTranslatorTest {
    private static final String NAMESPACE = "ns-1";
    private static final long T0 = 1_704_067_200_000_000_000L; // 2024-01-01T00:00:00Z in nanoseconds
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    static final Map<String, VisibilityField> FIELDS = new HashMap<>();
    private static final Set<String> ALL =
            Set.of("r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10");
    private static final VisibilityQueryTranslator TRANSLATOR =
            new VisibilityQueryTranslator(name -> Optional.ofNullable(FIELDS.get(name)));
    private static Connection db;

    static {
        field("WorkflowId", "workflow_id", INDEXED_VALUE_TYPE_KEYWORD);
        field("RunId", "run_id", INDEXED_VALUE_TYPE_KEYWORD);
        field("WorkflowType", "workflow_type_name", INDEXED_VALUE_TYPE_KEYWORD);
        field("ExecutionStatus", "status", INDEXED_VALUE_TYPE_KEYWORD);
        field("StartTime", "start_time", INDEXED_VALUE_TYPE_DATETIME);
        field("ExecutionTime", "execution_time", INDEXED_VALUE_TYPE_DATETIME);
        field("CloseTime", "close_time", INDEXED_VALUE_TYPE_DATETIME);
        field("ExecutionDuration", "execution_duration", INDEXED_VALUE_TYPE_INT);
        field("HistoryLength", "history_length", INDEXED_VALUE_TYPE_INT);
        field("HistorySizeBytes", "history_size_bytes", INDEXED_VALUE_TYPE_INT);
        field("StateTransitionCount", "state_transition_count", INDEXED_VALUE_TYPE_INT);
        field("TaskQueue", "task_queue", INDEXED_VALUE_TYPE_KEYWORD);
        field("ParentWorkflowId", "parent_workflow_id", INDEXED_VALUE_TYPE_KEYWORD);
        field("ParentRunId", "parent_run_id", INDEXED_VALUE_TYPE_KEYWORD);
        field("RootWorkflowId", "root_workflow_id", INDEXED_VALUE_TYPE_KEYWORD);
        field("RootRunId", "root_run_id", INDEXED_VALUE_TYPE_KEYWORD);
        field("TemporalChangeVersion", "TemporalChangeVersion", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        field("BinaryChecksums", "BinaryChecksums", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        field("BatcherUser", "BatcherUser", INDEXED_VALUE_TYPE_KEYWORD);
        field("TemporalScheduledStartTime", "TemporalScheduledStartTime", INDEXED_VALUE_TYPE_DATETIME);
        field("TemporalSchedulePaused", "TemporalSchedulePaused", INDEXED_VALUE_TYPE_BOOL);
        field("TemporalNamespaceDivision", "TemporalNamespaceDivision", INDEXED_VALUE_TYPE_KEYWORD);
        // The namespace's custom attributes, by alias, in the slots its registry gave them.
        field("CustomKeyword", "Keyword01", INDEXED_VALUE_TYPE_KEYWORD);
        field("Custom Field", "Keyword02", INDEXED_VALUE_TYPE_KEYWORD);
        field("CustomInt", "Int01", INDEXED_VALUE_TYPE_INT);
        field("CustomDouble", "Double01", INDEXED_VALUE_TYPE_DOUBLE);
        field("CustomBool", "Bool01", INDEXED_VALUE_TYPE_BOOL);
        field("CustomDatetime", "Datetime01", INDEXED_VALUE_TYPE_DATETIME);
        field("CustomText", "Text01", INDEXED_VALUE_TYPE_TEXT);
        field("CustomText2", "Text02", INDEXED_VALUE_TYPE_TEXT);
        field("CustomKeywordList", "KeywordList01", INDEXED_VALUE_TYPE_KEYWORD_LIST);
        // As the official falls back from an undefined ScheduleId to WorkflowId.
        FIELDS.put("ScheduleId", FIELDS.get("WorkflowId"));
    }

    private static void field(String name, String column, IndexedValueType type) {
        FIELDS.put(name, new VisibilityField(name, column, type));
    }

    /** One run's row; null for an unset column. */
    private record Run(String runId, String workflowId, String type, int status, long start, long execution,
            Long close, Long duration, long historyLength, long historySize, long transitions, String taskQueue,
            String parentWorkflowId, String parentRunId, String rootWorkflowId, String rootRunId,
            String searchAttributes) {}

    private static final List<Run> RUNS = List.of(
            new Run("r01", "wf-order-1", "OrderWorkflow", 1, T0 + HOUR, T0 + HOUR, null, null, 10, 1000, 5,
                    "orders", null, null, "wf-order-1", "r01",
                    "{\"Keyword01\":\"alpha\",\"Int01\":10,\"Double01\":1.5,\"Bool01\":true,\"Datetime01\":"
                            + (T0 + 24 * HOUR) + ",\"Text01\":\"The quick brown fox\","
                            + "\"KeywordList01\":[\"red\",\"green\"],\"TemporalChangeVersion\":[\"v1\"]}"),
            new Run("r02", "wf-order-2", "OrderWorkflow", 2, T0 + 2 * HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR, HOUR,
                    20, 2000, 9, "orders", null, null, "wf-order-2", "r02",
                    "{\"Keyword01\":\"beta\",\"Keyword02\":\"with space\",\"Int01\":-5,\"Double01\":2.0,"
                            + "\"Bool01\":false,\"Text01\":\"lazy dog\",\"KeywordList01\":[\"blue\"]}"),
            new Run("r03", "wf-payment-1", "PaymentWorkflow", 3, T0 + 3 * HOUR, T0 + 3 * HOUR,
                    T0 + 3 * HOUR + 30 * SECOND, 30 * SECOND, 7, 700, 3, "payments", null, null, "wf-payment-1",
                    "r03", "{\"Keyword01\":\"Alpha\",\"Int01\":0,\"Text01\":\"quick thinking\",\"KeywordList01\":[]}"),
            new Run("r04", "wf-payment-2", "PaymentWorkflow", 4, T0 + 4 * HOUR, T0 + 4 * HOUR, T0 + 6 * HOUR,
                    2 * HOUR, 3, 300, 1, "payments", null, null, "wf-payment-2", "r04", null),
            new Run("r05", "wf-child-1", "ChildWorkflow", 5, T0 + 5 * HOUR, T0 + 5 * HOUR, T0 + 6 * HOUR + 30 * MINUTE,
                    90 * MINUTE, 4, 400, 2, "orders", "wf-order-1", "r01", "wf-order-1", "r01",
                    "{\"Keyword01\":\"al%_pha\",\"Int01\":100,\"Double01\":-0.5}"),
            new Run("r06", "wf-child-2", "ChildWorkflow", 6, T0 + 6 * HOUR, T0 + 6 * HOUR, T0 + 7 * HOUR, HOUR, 4,
                    400, 2, "orders", "wf-order-1", "r01", "wf-order-1", "r01",
                    "{\"Keyword01\":\"al*pha?[x]\",\"Datetime01\":" + T0
                            + ",\"Bool01\":true,\"TemporalSchedulePaused\":false}"),
            new Run("r07", "wf-timer", "TimerWorkflow", 7, T0 + 7 * HOUR, T0 + 7 * HOUR, T0 + 7 * HOUR + 5 * MINUTE,
                    5 * MINUTE, 2, 200, 1, "timers", null, null, "wf-timer", "r07",
                    "{\"Text01\":\"Brown caf\u00e9\",\"KeywordList01\":[\"red\"],\"BatcherUser\":\"admin\"}"),
            new Run("r08", "wf-order-3", "OrderWorkflow", 1, T0 + 8 * HOUR, T0 + 8 * HOUR, null, null, 1, 100, 1,
                    "orders", null, null, "wf-order-3", "r08",
                    "{\"Int01\":10,\"Double01\":10.0,\"Datetime01\":" + (T0 + 48 * HOUR)
                            + ",\"TemporalScheduledStartTime\":" + (T0 + 8 * HOUR) + "}"),
            new Run("r09", "it's-wf", "QuoteWorkflow", 1, T0 + 9 * HOUR, T0 + 9 * HOUR, null, null, 1, 100, 1,
                    "orders", null, null, "it's-wf", "r09",
                    "{\"Keyword01\":\"O'Brien\",\"Keyword02\":\"with space\","
                            + "\"Text01\":\"it's \\\"quoted\\\"\"}"),
            new Run("r10", "wf-alpha", "OrderWorkflow", 2, T0 + 10 * HOUR, T0 + 11 * HOUR, T0 + 12 * HOUR, HOUR, 50,
                    5_000_000, 40, "orders", null, null, "wf-alpha", "r10",
                    "{\"Keyword01\":\"alpha\",\"BinaryChecksums\":[\"abc\"],\"Text02\":\"second text field\"}"));

    @BeforeAll
    static void createDatabase() throws SQLException, IOException {
        db = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (InputStream in = VisibilityQueryTranslatorTest.class.getClassLoader()
                .getResourceAsStream("db/migration/sqlite/V4__visibility.sql");
                Statement s = db.createStatement()) {
            assertThat(in).isNotNull();
            // sqlite-jdbc runs a multi-statement script through sqlite3_exec, which splits it with SQLite's own
            // parser (the triggers' inner semicolons included).
            s.executeUpdate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        insertRuns(db);
    }

    /** The ten runs, in the namespace under test and in another one. */
    static void insertRuns(Connection db) throws SQLException {
        String insert = "INSERT INTO executions_visibility (namespace_id, run_id, workflow_id, workflow_type_name,"
                + " status, start_time, execution_time, close_time, execution_duration, history_length,"
                + " history_size_bytes, state_transition_count, task_queue, parent_workflow_id, parent_run_id,"
                + " root_workflow_id, root_run_id, search_attributes, version)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)";
        try (PreparedStatement p = db.prepareStatement(insert)) {
            for (String namespace : List.of(NAMESPACE, "other-namespace")) {
                for (Run r : RUNS) {
                    Object[] values = {namespace, r.runId, r.workflowId, r.type, r.status, r.start, r.execution,
                            r.close, r.duration, r.historyLength, r.historySize, r.transitions, r.taskQueue,
                            r.parentWorkflowId, r.parentRunId, r.rootWorkflowId, r.rootRunId, r.searchAttributes};
                    for (int i = 0; i < values.length; i++) {
                        p.setObject(i + 1, values[i]);
                    }
                    p.executeUpdate();
                }
            }
        }
    }

    @AfterAll
    static void closeDatabase() throws SQLException {
        db.close();
    }

    private static Set<String> runs(String... ids) {
        return Set.of(ids);
    }

    private static Set<String> allBut(String... ids) {
        Set<String> rest = new HashSet<>(ALL);
        List.of(ids).forEach(rest::remove);
        return rest;
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                // Empty and blank filters match everything.
                arguments("", ALL),
                arguments(" \t\n ", ALL),
                // Keyword: exact, case-sensitive; both quote styles are values; escapes as MySQL reads them.
                arguments("WorkflowId = 'wf-order-1'", runs("r01")),
                arguments("WorkflowId = \"wf-order-1\"", runs("r01")),
                arguments("WorkflowId != 'wf-order-1'", allBut("r01")),
                arguments("WorkflowId <> 'wf-order-1'", allBut("r01")),
                arguments("WorkflowId IN ('wf-order-1', \"wf-timer\")", runs("r01", "r07")),
                arguments("WorkflowId NOT IN ('wf-order-1', 'wf-timer')", allBut("r01", "r07")),
                arguments("WorkflowId = 'it''s-wf'", runs("r09")),
                arguments("WorkflowId = 'it\\'s-wf'", runs("r09")),
                arguments("WorkflowId = \"it's-wf\"", runs("r09")),
                arguments("WorkflowId = 'WF-ORDER-1'", runs()),
                arguments("WorkflowId = ('wf-timer')", runs("r07")),
                arguments("RunId = 'r03'", runs("r03")),
                arguments("ScheduleId = 'wf-timer'", runs("r07")),
                arguments("WorkflowId IN (('wf-timer'), ('wf-alpha'))", runs("r07", "r10")),
                arguments("TaskQueue = 'payments'", runs("r03", "r04")),
                arguments("WorkflowType = 'OrderWorkflow' AND ExecutionStatus = 'Running'", runs("r01", "r08")),
                arguments("ParentWorkflowId = 'wf-order-1'", runs("r05", "r06")),
                arguments("ParentWorkflowId IS NULL", allBut("r05", "r06")),
                arguments("ParentRunId = 'r01'", runs("r05", "r06")),
                arguments("RootWorkflowId = 'wf-order-1'", runs("r01", "r05", "r06")),
                arguments("RootRunId = 'r01'", runs("r01", "r05", "r06")),
                arguments("BatcherUser = 'admin'", runs("r07")),
                // Keyword ordering is byte order; unset attributes never match a comparison (SQL NULL), != included.
                arguments("CustomKeyword = 'alpha'", runs("r01", "r10")),
                arguments("CustomKeyword != 'alpha'", runs("r02", "r03", "r05", "r06", "r09")),
                arguments("CustomKeyword > 'b'", runs("r02")),
                arguments("CustomKeyword < 'B'", runs("r03")),
                arguments("CustomKeyword BETWEEN 'al' AND 'am'", runs("r01", "r05", "r06", "r10")),
                arguments("CustomKeyword = ''", runs()),
                arguments("CustomKeyword = \"'alpha'\"", runs("r01", "r10")), // official quirk: quotes trimmed
                arguments("CustomKeyword = 'O''Brien'", runs("r09")),
                arguments("`Custom Field` = 'with space'", runs("r02", "r09")),
                // STARTS_WITH: a case-sensitive prefix; LIKE and GLOB wildcards in it are plain characters.
                arguments("CustomKeyword STARTS_WITH 'al'", runs("r01", "r05", "r06", "r10")),
                arguments("CustomKeyword starts_with 'al%'", runs("r05")),
                arguments("CustomKeyword STARTS_WITH 'al%_'", runs("r05")),
                arguments("CustomKeyword STARTS_WITH 'al_'", runs()),
                arguments("CustomKeyword STARTS_WITH 'al*'", runs("r06")),
                arguments("CustomKeyword STARTS_WITH 'al*pha?[x]'", runs("r06")),
                arguments("CustomKeyword STARTS_WITH 'al?'", runs()),
                arguments("CustomKeyword STARTS_WITH 'O''B'", runs("r09")),
                arguments("CustomKeyword NOT STARTS_WITH 'al'", runs("r02", "r03", "r09")),
                arguments("NOT CustomKeyword STARTS_WITH 'al'", runs("r02", "r03", "r09")),
                arguments("WorkflowId STARTS_WITH \"wf-pay\"", runs("r03", "r04")),
                arguments("WorkflowType STARTS_WITH ''", ALL),
                // ExecutionStatus: shorthand or enum names (case-sensitive) or numbers; compared as numbers.
                arguments("ExecutionStatus = 'Running'", runs("r01", "r08", "r09")),
                arguments("ExecutionStatus = 1", runs("r01", "r08", "r09")),
                arguments("ExecutionStatus = +1", runs("r01", "r08", "r09")),
                arguments("ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_RUNNING'", runs("r01", "r08", "r09")),
                arguments("ExecutionStatus != 'Running'", allBut("r01", "r08", "r09")),
                arguments("ExecutionStatus IN ('Completed', 'Failed')", runs("r02", "r03", "r10")),
                arguments("ExecutionStatus NOT IN ('Completed', 2, 'Running')", runs("r03", "r04", "r05", "r06", "r07")),
                arguments("ExecutionStatus = 'ContinuedAsNew' OR ExecutionStatus = 'TimedOut'", runs("r06", "r07")),
                arguments("ExecutionStatus = 'Terminated'", runs("r05")),
                arguments("ExecutionStatus = 'Canceled'", runs("r04")),
                arguments("ExecutionStatus > 'Canceled'", runs("r05", "r06", "r07")),
                arguments("ExecutionStatus BETWEEN 'Completed' AND 'Canceled'", runs("r02", "r03", "r04", "r10")),
                arguments("ExecutionStatus = 'Unspecified'", runs()),
                // Datetime: RFC 3339 with offsets and nanoseconds, or epoch nanoseconds; an open run has no close.
                arguments("CloseTime IS NULL", runs("r01", "r08", "r09")),
                arguments("CloseTime IS NOT NULL", allBut("r01", "r08", "r09")),
                arguments("StartTime > '2024-01-01T05:00:00Z'", runs("r06", "r07", "r08", "r09", "r10")),
                arguments("StartTime >= '2024-01-01T05:00:00Z'", runs("r05", "r06", "r07", "r08", "r09", "r10")),
                arguments("StartTime BETWEEN '2024-01-01T02:00:00Z' AND '2024-01-01T04:00:00+00:00'",
                        runs("r02", "r03", "r04")),
                arguments("StartTime NOT BETWEEN '2024-01-01T02:00:00Z' AND '2024-01-01T09:00:00Z'",
                        runs("r01", "r10")),
                arguments("StartTime < '2024-01-01T03:00:00.000000001+01:00'", runs("r01", "r02")),
                arguments("StartTime < '2024-01-01T03:00:00+01:00'", runs("r01")),
                arguments("StartTime = " + (T0 + HOUR), runs("r01")),
                arguments("StartTime > 0", ALL),
                arguments("StartTime < '9999-12-31T23:59:59Z' AND StartTime > '0001-01-01T00:00:00Z'", ALL),
                arguments("CloseTime < '2024-01-01T06:00:00Z'", runs("r02", "r03")),
                arguments("ExecutionTime = '2024-01-01T11:00:00Z'", runs("r10")),
                arguments("CustomDatetime = '2024-01-02T00:00:00Z'", runs("r01")),
                arguments("CustomDatetime >= '2024-01-01T00:00:00Z'", runs("r01", "r06", "r08")),
                arguments("CustomDatetime < '2024-01-02T00:00:00.5Z'", runs("r01", "r06")),
                arguments("TemporalScheduledStartTime = '2024-01-01T08:00:00Z'", runs("r08")),
                // ExecutionDuration: Go durations (and d for days), hh:mm:ss, integer nanoseconds.
                arguments("ExecutionDuration > '1h'", runs("r04", "r05")),
                arguments("ExecutionDuration = '1h'", runs("r02", "r06", "r10")),
                arguments("ExecutionDuration = '60m'", runs("r02", "r06", "r10")),
                arguments("ExecutionDuration = '0.5h30m'", runs("r02", "r06", "r10")),
                arguments("ExecutionDuration = '01:00:00'", runs("r02", "r06", "r10")),
                arguments("ExecutionDuration = " + HOUR, runs("r02", "r06", "r10")),
                arguments("ExecutionDuration = '" + HOUR + "'", runs("r02", "r06", "r10")),
                arguments("ExecutionDuration < '1m'", runs("r03")),
                arguments("ExecutionDuration BETWEEN '5m' AND '30m'", runs("r07")),
                arguments("ExecutionDuration < '1d'", allBut("r01", "r08", "r09")),
                arguments("ExecutionDuration >= '1.5h'", runs("r04", "r05")),
                arguments("ExecutionDuration IN ('30s', '300000ms')", runs("r03", "r07")),
                arguments("ExecutionDuration IN ('1h30m', '1.5h', '90m0s', '01:30:00', '5400s', '0.0625d')",
                        runs("r05")),
                arguments("ExecutionDuration IN ('300000000000ns', '300000000us', '300000000\u00b5s', '+5m')",
                        runs("r07")),
                arguments("ExecutionDuration > '-1h'", allBut("r01", "r08", "r09")),
                // Int and Double take any number.
                arguments("HistoryLength >= 20", runs("r02", "r10")),
                arguments("HistoryLength > 7.5", runs("r01", "r02", "r10")),
                arguments("HistorySizeBytes > 1000000", runs("r10")),
                arguments("StateTransitionCount BETWEEN 4 AND 9", runs("r01", "r02")),
                arguments("CustomInt = 10", runs("r01", "r08")),
                arguments("CustomInt = -5", runs("r02")),
                arguments("CustomInt < 0", runs("r02")),
                arguments("CustomInt > -1 AND CustomInt < 50", runs("r01", "r03", "r08")),
                arguments("CustomInt IN (0, 100)", runs("r03", "r05")),
                arguments("CustomInt != 10", runs("r02", "r03", "r05")),
                arguments("CustomInt BETWEEN -10 AND 0", runs("r02", "r03")),
                arguments("CustomInt >= 9.5", runs("r01", "r05", "r08")),
                arguments("CustomInt IS NULL", runs("r04", "r06", "r07", "r09", "r10")),
                arguments("CustomDouble = 1.5", runs("r01")),
                arguments("CustomDouble = 2", runs("r02")),
                arguments("CustomDouble = 10", runs("r08")),
                arguments("CustomDouble > 1", runs("r01", "r02", "r08")),
                arguments("CustomDouble < -0.25", runs("r05")),
                arguments("CustomDouble = -.5", runs("r05")),
                arguments("CustomDouble BETWEEN 1.5 AND 2.0", runs("r01", "r02")),
                arguments("CustomDouble = 1.5e0", runs("r01")),
                // Bool: true and false only.
                arguments("CustomBool = true", runs("r01", "r06")),
                arguments("CustomBool = FALSE", runs("r02")),
                arguments("CustomBool != true", runs("r02")),
                arguments("CustomBool IS NULL", allBut("r01", "r02", "r06")),
                arguments("TemporalSchedulePaused = false", runs("r06")),
                // Text: by words through FTS5, any of the tokens, case and accents folded; != is none of them.
                arguments("CustomText = 'fox'", runs("r01")),
                arguments("CustomText = 'quick'", runs("r01", "r03")),
                arguments("CustomText = 'QUICK'", runs("r01", "r03")),
                arguments("CustomText = 'quick fox'", runs("r01", "r03")),
                arguments("CustomText = 'brown'", runs("r01", "r07")),
                arguments("CustomText = 'cafe'", runs("r07")),
                arguments("CustomText = 'Caf\u00e9'", runs("r07")),
                arguments("CustomText = 'elephant'", runs()),
                arguments("CustomText != 'quick'", allBut("r01", "r03")),
                arguments("CustomText = 'it''s'", runs("r09")),
                arguments("CustomText = '\"quoted\"'", runs("r09")),
                arguments("CustomText = 'fox*'", runs("r01")),
                arguments("CustomText = 'OR'", runs()),
                arguments("CustomText = 'NEAR(quick lazy)'", runs("r02")),
                arguments("CustomText = '  dog  '", runs("r02")),
                arguments("CustomText2 = 'text'", runs("r10")),
                arguments("CustomText = 'dog' OR CustomText2 = 'field'", runs("r02", "r10")),
                // KeywordList: = and IN test membership, != and NOT IN its absence (unset lists included).
                arguments("CustomKeywordList = 'red'", runs("r01", "r07")),
                arguments("CustomKeywordList = 'green'", runs("r01")),
                arguments("CustomKeywordList = 're'", runs()),
                arguments("CustomKeywordList IN ('blue', 'green')", runs("r01", "r02")),
                arguments("CustomKeywordList != 'red'", allBut("r01", "r07")),
                arguments("CustomKeywordList NOT IN ('red', 'blue')", allBut("r01", "r02", "r07")),
                arguments("CustomKeywordList IS NULL", runs("r04", "r05", "r06", "r08", "r09", "r10")),
                arguments("TemporalChangeVersion = 'v1'", runs("r01")),
                arguments("BinaryChecksums = 'abc'", runs("r10")),
                // AND binds tighter than OR; NOT, parentheses, lower-case keywords, a trailing ; and comments.
                arguments("(WorkflowType = 'OrderWorkflow' OR WorkflowType = 'PaymentWorkflow')"
                        + " AND NOT ExecutionStatus = 'Running'", runs("r02", "r03", "r04", "r10")),
                arguments("ExecutionStatus = 'Running' OR CustomInt = 100 AND CustomDouble < 0",
                        runs("r01", "r05", "r08", "r09")),
                arguments("NOT (CustomInt = 10)", runs("r02", "r03", "r05")),
                arguments("NOT NOT CustomInt = 10", runs("r01", "r08")),
                arguments("NOT NOT CustomKeyword IN ('alpha')", runs("r01", "r10")),
                arguments("NOT (NOT CustomInt = 10)", runs("r01", "r08")),
                // An IN list ends where its parenthesis does (JSqlParser 5.3 would take in what follows).
                arguments("ExecutionStatus IN ('Running', 'Failed') AND CustomBool = true", runs("r01")),
                arguments("NOT WorkflowType IN ('OrderWorkflow') AND TaskQueue = 'orders'", runs("r05", "r06", "r09")),
                arguments("CustomInt IN (10) OR CustomInt IN (100) AND CustomDouble < 0 OR RunId = 'r04'",
                        runs("r01", "r04", "r05", "r08")),
                arguments("((((WorkflowId = 'wf-timer'))))", runs("r07")),
                arguments("WorkflowId = 'wf-timer' or RunId = 'r01'", runs("r01", "r07")),
                arguments("WorkflowId = 'wf-timer';", runs("r07")),
                arguments("WorkflowId = 'wf-timer' -- a comment", runs("r07")),
                arguments("WorkflowId = 'wf-timer' /* a comment */ AND RunId = 'r07'", runs("r07")),
                arguments("WorkflowId\n=\t'wf-timer'\r\nAND RunId = 'r07'", runs("r07")),
                // Long filters: a flat chain of 3000 conditions (balanced in the SQL, so SQLite's depth limit of
                // 1000 does not bite), a list of 5000 values, a value of 100,000 characters.
                arguments(IntStream.range(0, 3000).mapToObj(i -> "RunId = 'x" + i + "'")
                        .collect(Collectors.joining(" OR ")) + " OR RunId = 'r02'", runs("r02")),
                arguments("CustomInt IN (" + IntStream.range(1000, 6000).mapToObj(Integer::toString)
                        .collect(Collectors.joining(", ")) + ", 100)", runs("r05")),
                arguments("WorkflowId = '" + "x".repeat(100_000) + "'", runs()),
                arguments("(".repeat(FilterParser.MAX_NESTING) + "RunId = 'r04'" + ")".repeat(FilterParser.MAX_NESTING),
                        runs("r04")),
                // GROUP BY ExecutionStatus (for counts) leaves the filter as it is.
                arguments("GROUP BY ExecutionStatus", ALL),
                arguments("WorkflowType = 'ChildWorkflow' GROUP BY ExecutionStatus", runs("r05", "r06")));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("accepted")
    void matchesExactlyTheseRuns(String query, Set<String> expected) throws SQLException {
        Translation translation = TRANSLATOR.translate(query);

        assertThat(select(translation)).isEqualTo(new TreeSet<>(expected));
        assertOnlyPlaceholders(translation);
    }

    static Stream<Arguments> refused() {
        String longMalformed = "WorkflowId = 'x' AND ".repeat(5000) + "WorkflowId =";
        return Stream.of(
                // Malformed SQL.
                arguments("WorkflowId = ", "invalid query: malformed SQL query: syntax error at position 39 near '='"),
                arguments("WorkflowId = 'unterminated",
                        "invalid query: malformed SQL query: syntax error at position 53 near ''unterminated'"),
                arguments("WorkflowId = \"unterminated",
                        "invalid query: malformed SQL query: syntax error at position 53 near '\"unterminated'"),
                arguments("WorkflowId = 'x' 'y'",
                        "invalid query: malformed SQL query: syntax error at position 47 near ''y''"),
                arguments("WorkflowId = 'x' AND",
                        "invalid query: malformed SQL query: syntax error at position 47 near 'AND'"),
                arguments("AND WorkflowId = 'x'",
                        "invalid query: malformed SQL query: syntax error at position 30 near 'AND'"),
                arguments("WorkflowId = 'x'; DROP TABLE executions_visibility",
                        "invalid query: malformed SQL query: syntax error at position 49 near 'DROP'"),
                arguments("WorkflowId = 'x'; SELECT 1",
                        "invalid query: malformed SQL query: syntax error at position 51 near 'SELECT'"),
                arguments("WorkflowId IN ()", "invalid query: malformed SQL query: empty list after IN"),
                arguments("WorkflowId ~* 'x'",
                        "invalid query: malformed SQL query: syntax error at position 40 near '~*'"),
                arguments("WorkflowId STARTS_WITH",
                        "invalid query: malformed SQL query: syntax error at position 49 near 'STARTS_WITH'"),
                arguments("WorkflowId ISNULL", "invalid query: malformed SQL query: syntax error near 'ISNULL'"),
                arguments(longMalformed, "invalid query: malformed SQL query: syntax error at position "
                        + ("select * from table1 where " + longMalformed).length() + " near '='"),
                // Not a condition.
                arguments("WorkflowId", "invalid query: invalid expression: incomplete expression"),
                arguments("'wf-order-1'", "invalid query: operation is not supported: expression of type"
                        + " *sqlparser.SQLVal"),
                arguments("WorkflowId = 'x' OR 1=1 --",
                        "invalid query: invalid expression: must be a column name but was *sqlparser.SQLVal"),
                arguments("1 = 1", "invalid query: invalid expression: must be a column name but was *sqlparser.SQLVal"),
                arguments("'WorkflowId' = 'x'",
                        "invalid query: invalid expression: must be a column name but was *sqlparser.SQLVal"),
                arguments("\"WorkflowId\" = 'x'",
                        "invalid query: invalid expression: must be a column name but was *sqlparser.SQLVal"),
                arguments("lower(WorkflowId) = 'x'",
                        "invalid query: invalid expression: must be a column name but was *sqlparser.FuncExpr"),
                arguments("sleep(10)", "invalid query: operation is not supported: function expression"),
                arguments("!(WorkflowId = 'x')",
                        "invalid query: operation is not supported: expression of type *sqlparser.UnaryExpr"),
                arguments("TRUE", "invalid query: operation is not supported: expression of type sqlparser.BoolVal"),
                arguments("WorkflowId = lower('X')", "invalid query: operation is not supported: nested func"),
                arguments("WorkflowId = RunId", "invalid query: operation is not supported: column name on the right"
                        + " side of comparison expression (did you forget to quote \"RunId\"?)"),
                arguments("ExecutionStatus = Running", "invalid query: operation is not supported: column name on the"
                        + " right side of comparison expression (did you forget to quote \"Running\"?)"),
                arguments("WorkflowId IN (SELECT workflow_id FROM executions_visibility)",
                        "invalid query: invalid expression: unexpected value type *sqlparser.Subquery"),
                arguments("WorkflowId = (SELECT 'x')",
                        "invalid query: invalid expression: unexpected value type *sqlparser.Subquery"),
                arguments("EXISTS (SELECT 1 FROM executions_visibility)",
                        "invalid query: operation is not supported: expression of type *sqlparser.ExistsExpr"),
                arguments("WorkflowId = NULL", "invalid query: invalid expression: unexpected value type *sqlparser.NullVal"),
                arguments("WorkflowId = ?", "invalid query: invalid expression: unable to parse value \"?\""),
                arguments("CustomInt = 0x1F", "invalid query: invalid expression: unable to parse value \"0x1F\""),
                arguments("CustomInt = 1 + 1",
                        "invalid query: invalid expression: unexpected value type *sqlparser.BinaryExpr"),
                arguments("CustomInt + 1 = 2",
                        "invalid query: invalid expression: must be a column name but was *sqlparser.BinaryExpr"),
                arguments("WorkflowId = ('a', 'b')",
                        "invalid query: invalid expression: unexpected value type sqlparser.ValTuple"),
                arguments("CustomInt = ~1", "invalid query: operation is not supported: unary operator \"~\""),
                arguments("CustomKeyword = -'x'",
                        "invalid query: invalid expression: unary operator not supported in \"-'x'\""),
                arguments("StartTime = -1.5",
                        "invalid query: invalid expression: invalid value type for search attribute StartTime of type"
                                + " Datetime: 1.5 (type: float64)"),
                arguments("WorkflowId IS TRUE",
                        "invalid query: invalid expression: 'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'"),
                // Unknown attributes (names are case-sensitive).
                arguments("Foo = 'x'", "invalid query: invalid search attribute: Foo"),
                arguments("workflowid = 'x'", "invalid query: invalid search attribute: workflowid"),
                arguments("`Custom  Field` = 'x'", "invalid query: invalid search attribute: Custom  Field"),
                arguments("executions_visibility.workflow_id = 'x'",
                        "invalid query: invalid search attribute: executions_visibility.workflow_id"),
                arguments("WorkflowId = 'x' AND Bar IS NULL", "invalid query: invalid search attribute: Bar"),
                // Wrong value types.
                arguments("CustomKeyword = 123", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomKeyword of type Keyword: 123 (type: int64)"),
                arguments("CustomKeyword = -5", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomKeyword of type Keyword: -5 (type: int64)"),
                arguments("ScheduleId = 5", "invalid query: invalid expression: invalid value type for search"
                        + " attribute ScheduleId of type Keyword: 5 (type: int64)"),
                arguments("WorkflowId IN (('a', 'b'))",
                        "invalid query: invalid expression: unexpected value type sqlparser.ValTuple"),
                arguments("WorkflowId = 1.5", "invalid query: invalid expression: invalid value type for search"
                        + " attribute WorkflowId of type Keyword: 1.5 (type: float64)"),
                arguments("WorkflowId IN ('a', 1e6)", "invalid query: invalid expression: invalid value type for"
                        + " search attribute WorkflowId of type Keyword: 1e+06 (type: float64)"),
                arguments("CustomKeyword = true", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomKeyword of type Keyword: true (type: bool)"),
                arguments("CustomInt = '10'", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomInt of type Int: \"10\" (type: string)"),
                arguments("CustomDouble = 'x'", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomDouble of type Double: \"x\" (type: string)"),
                arguments("CustomBool = 1", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomBool of type Bool: 1 (type: int64)"),
                arguments("CustomBool = 'true'", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomBool of type Bool: \"true\" (type: string)"),
                arguments("CustomKeywordList = 5", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomKeywordList of type KeywordList: 5 (type: int64)"),
                arguments("CustomText = 5", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomText of type Text: 5 (type: int64)"),
                arguments("CustomText = ''", "invalid query: invalid expression: no tokens found filtering on Text"
                        + " type search attribute CustomText"),
                arguments("CustomText = ' \t '", "invalid query: invalid expression: no tokens found filtering on"
                        + " Text type search attribute CustomText"),
                arguments("CustomDatetime = 1.5", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomDatetime of type Datetime: 1.5 (type: float64)"),
                arguments("CustomDatetime = true", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomDatetime of type Datetime: true (type: bool)"),
                // Bad datetimes.
                arguments("StartTime > '2024-01-01'",
                        "invalid query: invalid expression: unable to parse datetime '2024-01-01'"),
                arguments("StartTime > '2024-01-01 00:00:00Z'",
                        "invalid query: invalid expression: unable to parse datetime '2024-01-01 00:00:00Z'"),
                arguments("StartTime > '2024-01-01T00:00:00'",
                        "invalid query: invalid expression: unable to parse datetime '2024-01-01T00:00:00'"),
                arguments("StartTime > '2024-13-01T00:00:00Z'",
                        "invalid query: invalid expression: unable to parse datetime '2024-13-01T00:00:00Z'"),
                arguments("StartTime > '2024-02-30T00:00:00Z'",
                        "invalid query: invalid expression: unable to parse datetime '2024-02-30T00:00:00Z'"),
                arguments("StartTime > '2024-01-01T24:00:00Z'",
                        "invalid query: invalid expression: unable to parse datetime '2024-01-01T24:00:00Z'"),
                arguments("CloseTime BETWEEN 'yesterday' AND 'today'",
                        "invalid query: invalid expression: unable to parse datetime 'yesterday'"),
                // Bad statuses.
                arguments("ExecutionStatus = 'Bogus'", "invalid query: invalid expression: invalid ExecutionStatus value 'Bogus'"),
                arguments("ExecutionStatus = 'running'",
                        "invalid query: invalid expression: invalid ExecutionStatus value 'running'"),
                arguments("ExecutionStatus = 99", "invalid query: invalid expression: invalid ExecutionStatus value 99"),
                arguments("ExecutionStatus = -1", "invalid query: invalid expression: invalid ExecutionStatus value -1"),
                arguments("ExecutionStatus IN ('Running', 'Sleeping')",
                        "invalid query: invalid expression: invalid ExecutionStatus value 'Sleeping'"),
                arguments("ExecutionStatus = 1.5", "invalid query: invalid expression: unexpected value type float64"
                        + " for search attribute ExecutionStatus"),
                arguments("ExecutionStatus = -1.5", "invalid query: invalid expression: unexpected value type float64"
                        + " for search attribute ExecutionStatus"),
                arguments("ExecutionStatus = true", "invalid query: invalid expression: invalid value type for search"
                        + " attribute ExecutionStatus of type Keyword: true (type: bool)"),
                arguments("ExecutionStatus STARTS_WITH 'Running'", "invalid query: invalid expression: right-hand side"
                        + " of \"starts_with\" operator must be a literal string (got: Running)"),
                // Bad durations.
                arguments("ExecutionDuration > '1 hour'", "invalid query: invalid expression: invalid duration value"
                        + " for search attribute ExecutionDuration: 1 hour"),
                arguments("ExecutionDuration > '5x'", "invalid query: invalid expression: invalid duration value for"
                        + " search attribute ExecutionDuration: 5x"),
                arguments("ExecutionDuration > '01:60:00'", "invalid query: invalid expression: invalid duration"
                        + " value for search attribute ExecutionDuration: 01:60:00"),
                arguments("ExecutionDuration > ''", "invalid query: invalid expression: invalid duration value for"
                        + " search attribute ExecutionDuration: "),
                arguments("ExecutionDuration > '9999999999h'", "invalid query: invalid expression: invalid duration"
                        + " value for search attribute ExecutionDuration: 9999999999h"),
                arguments("ExecutionDuration > 1.5", "invalid query: invalid expression: unexpected value type"
                        + " float64 for search attribute ExecutionDuration"),
                arguments("ExecutionDuration > true", "invalid query: invalid expression: invalid value type for"
                        + " search attribute ExecutionDuration of type Int: true (type: bool)"),
                // Operators a type does not take.
                arguments("CustomText > 'a'", "invalid query: operation is not supported: operator '>' not supported"
                        + " for Text type search attribute 'CustomText'"),
                arguments("CustomText IN ('a', 'b')", "invalid query: operation is not supported: operator 'IN' not"
                        + " supported for Text type search attribute 'CustomText'"),
                arguments("CustomText STARTS_WITH 'a'", "invalid query: operation is not supported: operator"
                        + " 'STARTS_WITH' not supported for Text type search attribute 'CustomText'"),
                arguments("CustomKeywordList > 'a'", "invalid query: operation is not supported: operator '>' not"
                        + " supported for KeywordList type search attribute 'CustomKeywordList'"),
                arguments("CustomKeywordList NOT STARTS_WITH 'a'", "invalid query: operation is not supported:"
                        + " operator 'NOT STARTS_WITH' not supported for KeywordList type search attribute"
                        + " 'CustomKeywordList'"),
                arguments("CustomInt STARTS_WITH 5", "invalid query: operation is not supported: operator"
                        + " 'STARTS_WITH' not supported for Int type search attribute 'CustomInt'"),
                arguments("StartTime STARTS_WITH '2024-01-01T00:00:00Z'", "invalid query: operation is not supported:"
                        + " operator 'STARTS_WITH' not supported for Datetime type search attribute 'StartTime'"),
                arguments("WorkflowId LIKE 'wf%'", "invalid query: operation is not supported: operator 'LIKE' not"
                        + " supported for Keyword type search attribute 'WorkflowId'"),
                arguments("WorkflowId NOT LIKE 'wf%'", "invalid query: operation is not supported: operator 'NOT"
                        + " LIKE' not supported for Keyword type search attribute 'WorkflowId'"),
                arguments("WorkflowId REGEXP 'wf.*'", "invalid query: operation is not supported: operator 'REGEXP'"
                        + " not supported for Keyword type search attribute 'WorkflowId'"),
                arguments("CustomInt <=> 5", "invalid query: operation is not supported: operator '<=>' not"
                        + " supported for Int type search attribute 'CustomInt'"),
                arguments("CustomInt LIKE '5'", "invalid query: invalid expression: invalid value type for search"
                        + " attribute CustomInt of type Int: \"5\" (type: string)"),
                arguments("CustomText BETWEEN 'a' AND 'b'", "invalid query: invalid expression: cannot do range"
                        + " condition on search attribute 'CustomText' of type Text"),
                arguments("CustomBool BETWEEN false AND true", "invalid query: invalid expression: cannot do range"
                        + " condition on search attribute 'CustomBool' of type Bool"),
                arguments("CustomKeywordList BETWEEN 'a' AND 'b'", "invalid query: invalid expression: cannot do"
                        + " range condition on search attribute 'CustomKeywordList' of type KeywordList"),
                // Clauses.
                arguments("WorkflowId = 'x' LIMIT 10", "invalid query: operation is not supported: 'LIMIT' clause"),
                arguments("Foo = 'x' LIMIT 10", "invalid query: operation is not supported: 'LIMIT' clause"),
                arguments("WorkflowId = 'x' LIMIT 10 OFFSET 5", "invalid query: operation is not supported: 'LIMIT'"
                        + " clause"),
                arguments("ORDER BY StartTime", "invalid query: operation is not supported: 'ORDER BY' clause"),
                arguments("WorkflowId = 'x' ORDER BY StartTime DESC, RunId",
                        "invalid query: operation is not supported: 'ORDER BY' clause"),
                arguments("WorkflowId = 'x' ORDER BY Foo", "invalid query: invalid search attribute: Foo"),
                arguments("ORDER BY CustomText", "invalid query: operation is not supported: unable to sort by search"
                        + " attribute type Text"),
                arguments("GROUP BY WorkflowType", "invalid query: operation is not supported: 'GROUP BY' clause is"
                        + " not supported for search attribute WorkflowType"),
                arguments("GROUP BY ExecutionStatus, WorkflowType", "invalid query: operation is not supported:"
                        + " 'GROUP BY' clause supports only a single field"),
                arguments("GROUP BY Foo", "invalid query: invalid search attribute: Foo"),
                arguments("GROUP BY 1", "invalid query: invalid expression: must be a column name but was"
                        + " *sqlparser.SQLVal"),
                arguments("WorkflowId = 'x' GROUP BY ExecutionStatus HAVING COUNT(*) > 1",
                        "invalid query: operation is not supported: 'HAVING' clause"),
                arguments("WorkflowId = 'x' UNION SELECT * FROM executions_visibility",
                        "invalid query: operation is not supported: 'UNION' clause"),
                arguments("WorkflowId = 'x' FOR UPDATE", "invalid query: operation is not supported: 'FOR UPDATE' clause"),
                // Tempora's limits.
                arguments("(".repeat(FilterParser.MAX_NESTING + 1) + "RunId = 'r04'"
                                + ")".repeat(FilterParser.MAX_NESTING + 1),
                        "invalid query: operation is not supported: expression nested more than 100 levels deep"),
                arguments("NOT (".repeat(101) + "RunId = 'r04'" + ")".repeat(101),
                        "invalid query: operation is not supported: expression nested more than 100 levels deep"),
                // JSqlParser takes two NOTs in a row, not three.
                arguments("NOT NOT NOT RunId = 'r04'",
                        "invalid query: malformed SQL query: syntax error at position 34 near 'NOT'"),
                arguments("CustomInt IN (" + IntStream.range(0, 32_001).mapToObj(Integer::toString)
                        .collect(Collectors.joining(", ")) + ")",
                        "invalid query: operation is not supported: more than 32000 values in one query"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refused")
    void refusesWithTheOfficialMessage(String query, String message) {
        String shown = query.length() > 200 ? query.substring(0, 200) : query;
        assertThatThrownBy(() -> TRANSLATOR.translate(query))
                .as(shown)
                .isInstanceOf(InvalidVisibilityQueryException.class)
                .hasMessage(message);
    }

    @Test
    void emptyFilterIsAnEmptyWhere() {
        assertThat(TRANSLATOR.translate("")).isEqualTo(new Translation("", List.of(), false));
        assertThat(TRANSLATOR.translate(null)).isEqualTo(new Translation("", List.of(), false));
        assertThat(TRANSLATOR.translate("  \n")).isEqualTo(new Translation("", List.of(), false));
    }

    @Test
    void groupByExecutionStatusIsReportedAndCounts() throws SQLException {
        assertThat(TRANSLATOR.translate("WorkflowId = 'x'").groupByExecutionStatus()).isFalse();
        assertThat(TRANSLATOR.translate("group by ExecutionStatus"))
                .isEqualTo(new Translation("", List.of(), true));
        Translation t = TRANSLATOR.translate("WorkflowType = 'OrderWorkflow' GROUP BY ExecutionStatus");
        assertThat(t.groupByExecutionStatus()).isTrue();

        Map<Long, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT status, COUNT(*) FROM executions_visibility"
                + " WHERE namespace_id = ? AND " + t.where() + " GROUP BY status ORDER BY status")) {
            bind(p, t);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        assertThat(counts).containsExactly(Map.entry(1L, 2L), Map.entry(2L, 2L));
    }

    @Test
    void valuesAreBoundNeverWritten() {
        Translation t = TRANSLATOR.translate("WorkflowId = 'x'' OR 1=1 --' AND CustomText = 'a\" OR b'"
                + " AND CustomKeyword STARTS_WITH 'it''s*' AND StartTime > '2024-01-01T00:00:00Z'"
                + " AND ExecutionStatus IN ('Running', 'Failed') AND CustomBool = true");

        assertThat(t.where()).isEqualTo("(((workflow_id = ?) AND ((rowid IN (SELECT rowid FROM"
                + " executions_visibility_fts_text WHERE executions_visibility_fts_text MATCH ?)) AND"
                + " (Keyword01 GLOB ?))) AND ((start_time > ?) AND ((status IN (?, ?)) AND (Bool01 = ?))))");
        assertThat(t.params()).containsExactly("x' OR 1=1 --", "Text01 : (\"a\"\"\" OR \"OR\" OR \"b\")",
                "it's[*]*", T0, 1L, 3L, 1L);
    }

    /** The SQL holds column names, fixed SQL and placeholders only: no quote, no comment, no unknown word. */
    static void assertOnlyPlaceholders(Translation t) {
        assertThat(t.where()).doesNotContain("'", "\"", ";", "--", "/*", "`");
        Set<String> allowed = new HashSet<>(Set.of("AND", "OR", "NOT", "IN", "IS", "NULL", "BETWEEN", "GLOB",
                "EXISTS", "SELECT", "FROM", "WHERE", "MATCH", "rowid", "value", "json_each",
                FtsQuery.TABLE));
        FIELDS.values().forEach(f -> allowed.add(f.column()));
        Matcher words = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(t.where());
        while (words.find()) {
            assertThat(allowed).as("word in %s", t.where()).contains(words.group());
        }
        assertThat(t.where().chars().filter(c -> c == '?').count()).isEqualTo(t.params().size());
    }

    private static Set<String> select(Translation t) throws SQLException {
        return select(db, t);
    }

    static Set<String> select(Connection db, Translation t) throws SQLException {
        String sql = "SELECT run_id FROM executions_visibility WHERE namespace_id = ?"
                + (t.where().isEmpty() ? "" : " AND " + t.where());
        Set<String> found = new TreeSet<>();
        try (PreparedStatement p = db.prepareStatement(sql)) {
            bind(p, t);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        return found;
    }

    private static void bind(PreparedStatement p, Translation t) throws SQLException {
        p.setString(1, NAMESPACE);
        for (int i = 0; i < t.params().size(); i++) {
            p.setObject(i + 2, t.params().get(i));
        }
    }
}
