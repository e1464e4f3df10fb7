package io.tempora.bench;

import io.tempora.common.proto.NamespaceRecord;
import io.tempora.common.searchattribute.CustomSearchAttributes;
import io.tempora.frontend.VisibilityFields;
import io.tempora.persistence.Database;
import io.tempora.persistence.sql.SqliteDatabase;
import io.tempora.persistence.visibility.VisibilityRecord;
import io.tempora.persistence.visibility.VisibilityStore;
import io.tempora.persistence.visibility.query.Translation;
import io.tempora.persistence.visibility.query.VisibilityQueryTranslator;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The visibility store at scale: loads N records (default one million) with several custom search attributes into a
 * fresh SQLite database through the store's own bulk write path, then times list queries (first page with an indexed
 * filter, a page deep in the result, the default order), counts and {@code GROUP BY ExecutionStatus}, translated from
 * the query language as ListWorkflowExecutions does, and prints each query's plan.
 *
 * <p>Each query runs {@code --repeat} times after one unmeasured run; the median and the slowest are printed.
 */
@Command(name = "visibility-store-bench", mixinStandardHelpOptions = true,
    description = "Times visibility list and count queries on a store of N records with custom search attributes.")
public final class VisibilityStoreBench implements Callable<Integer> {
  private static final String NAMESPACE_ID = "0b6c1f2e-4d6a-4f8e-9c3b-5a7d2e1f0c9a";
  private static final long DAY_NANOS = 86_400L * 1_000_000_000L;
  private static final int[] STATUSES = {
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED_VALUE,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED_VALUE, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED_VALUE,
      WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT_VALUE, WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED_VALUE};
  /** Share of each status above, in percent: most runs completed, some open. */
  private static final int[] STATUS_PERCENT = {10, 70, 8, 6, 4, 2};

  @Option(names = {"-n", "--records"}, defaultValue = "1000000", description = "Visibility records to load (default: ${DEFAULT-VALUE}).")
  int records;

  @Option(names = "--batch", defaultValue = "10000", description = "Records per write transaction (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--repeat", defaultValue = "9", description = "Measured runs of each query (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(names = "--db", description = "Database file (default: a new file in the temp directory, deleted at the end).")
  Path dbFile;

  public static void main(String[] args) {
    BenchSupport.runAndExit(new VisibilityStoreBench(), args);
  }

  @Override
  public Integer call() throws Exception {
    Path file = dbFile != null ? dbFile : Files.createTempFile("tempora-visibility-bench", ".db");
    Files.deleteIfExists(file);
    NamespaceRecord ns = namespace();
    Database db = SqliteDatabase.open(file);
    try {
      VisibilityStore store = new VisibilityStore(db);
      long loadStart = System.nanoTime();
      load(store, ns);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      System.out.printf("loaded %,d records in %.1f s (%,.0f records/s), database %,d MiB%n", records, loadSeconds,
          records / loadSeconds, Files.size(file) >> 20);

      VisibilityQueryTranslator translator = new VisibilityQueryTranslator(VisibilityFields.of(ns));
      ResultLine result = new ResultLine().add("bench", "visibility-store").add("records", records)
          .add("load_records_per_s", records / loadSeconds, 0);
      result.add("first_page_keyword_ms", firstPage(store, translator, "CustomKeywordField = 'customer-42'"), 2);
      result.add("first_page_type_status_ms", firstPage(store, translator, "WorkflowType = 'Type-3' AND ExecutionStatus = 'Completed'"), 2);
      result.add("first_page_int_range_ms", firstPage(store, translator, "CustomIntField BETWEEN 100 AND 110"), 2);
      result.add("first_page_default_ms", firstPage(store, translator, ""), 2);
      result.add("deep_page_status_ms", deepPage(store, translator, "ExecutionStatus = 'Completed'", 10_000), 2);
      result.add("deep_page_default_ms", deepPage(store, translator, "", 10_000), 2);
      result.add("count_keyword_ms", count(store, translator, "CustomKeywordField = 'customer-42'"), 2);
      result.add("group_by_status_ms", groupByStatus(store, translator, "GROUP BY ExecutionStatus"), 2);
      result.add("group_by_status_filtered_ms", groupByStatus(store, translator, "WorkflowType = 'Type-3' GROUP BY ExecutionStatus"), 2);
      System.out.println(result);
      return 0;
    } finally {
      db.close();
      if (dbFile == null) {
        for (String suffix : List.of("", "-wal", "-shm", ".lock")) {
          Files.deleteIfExists(Path.of(file + suffix));
        }
      }
    }
  }

  /** A namespace with a custom attribute of each scalar type, columns assigned as the registry assigns them. */
  private static NamespaceRecord namespace() {
    NamespaceRecord.Builder ns = NamespaceRecord.newBuilder().setId(NAMESPACE_ID).setName("bench")
        .putSearchAttributes("CustomKeywordField", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_VALUE)
        .putSearchAttributes("CustomIntField", IndexedValueType.INDEXED_VALUE_TYPE_INT_VALUE)
        .putSearchAttributes("CustomDoubleField", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE_VALUE)
        .putSearchAttributes("CustomBoolField", IndexedValueType.INDEXED_VALUE_TYPE_BOOL_VALUE)
        .putSearchAttributes("CustomDatetimeField", IndexedValueType.INDEXED_VALUE_TYPE_DATETIME_VALUE);
    CustomSearchAttributes.assignColumns(ns);
    return ns.build();
  }

  private void load(VisibilityStore store, NamespaceRecord ns) {
    Map<String, String> columns = CustomSearchAttributes.columns(ns);
    Random random = new Random(42);
    long now = System.currentTimeMillis() * 1_000_000L;
    List<VisibilityRecord> pending = new ArrayList<>(batch);
    for (int i = 0; i < records; i++) {
      int status = status(random.nextInt(100));
      long start = now - (long) (random.nextDouble() * 30 * DAY_NANOS);
      boolean open = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING_VALUE;
      Long close = open ? null : start + (long) (random.nextDouble() * 3_600_000_000_000L);
      String json = "{\"" + columns.get("CustomKeywordField") + "\":\"customer-" + (i % 1000) + "\""
          + ",\"" + columns.get("CustomIntField") + "\":" + (i % 10_000)
          + ",\"" + columns.get("CustomDoubleField") + "\":" + (random.nextInt(100_000) / 100.0)
          + ",\"" + columns.get("CustomBoolField") + "\":" + (i % 2 == 0)
          + ",\"" + columns.get("CustomDatetimeField") + "\":" + start + "}";
      String workflowId = "order-" + i;
      String runId = new UUID(random.nextLong(), random.nextLong()).toString();
      pending.add(new VisibilityRecord(NAMESPACE_ID, runId, workflowId, "Type-" + (i % 20), status, start, start, close,
          close == null ? null : close - start, 11, 2_048, 5, "queue-" + (i % 10), null, null, workflowId, runId,
          null, null, json, 4));
      if (pending.size() == batch) {
        store.upsertAll(pending);
        pending = new ArrayList<>(batch);
      }
    }
    if (!pending.isEmpty()) {
      store.upsertAll(pending);
    }
  }

  private static int status(int percentile) {
    int sum = 0;
    for (int i = 0; i < STATUSES.length; i++) {
      sum += STATUS_PERCENT[i];
      if (percentile < sum) {
        return STATUSES[i];
      }
    }
    return STATUSES[0];
  }

  private double firstPage(VisibilityStore store, VisibilityQueryTranslator translator, String query) {
    Translation t = translator.translate(query);
    int[] rows = new int[1];
    double ms = time(() -> rows[0] = store.list(NAMESPACE_ID, t.where(), t.params(), null, 100).size());
    report("first page (100) of '" + query + "'", ms, rows[0] + " rows", store.explainList(NAMESPACE_ID, t.where(), t.params(), null, 100));
    return ms;
  }

  /** The page after {@code skip} rows, reached with page tokens as a client pages (100 at a time). */
  private double deepPage(VisibilityStore store, VisibilityQueryTranslator translator, String query, int skip) {
    Translation t = translator.translate(query);
    VisibilityRecord.PageKey after = null;
    for (int seen = 0; seen < skip; seen += 100) {
      List<VisibilityRecord> page = store.list(NAMESPACE_ID, t.where(), t.params(), after, 100);
      after = page.getLast().pageKey();
    }
    VisibilityRecord.PageKey token = after;
    int[] rows = new int[1];
    double ms = time(() -> rows[0] = store.list(NAMESPACE_ID, t.where(), t.params(), token, 100).size());
    report("page (100) after " + skip + " rows of '" + query + "'", ms, rows[0] + " rows",
        store.explainList(NAMESPACE_ID, t.where(), t.params(), token, 100));
    return ms;
  }

  private double count(VisibilityStore store, VisibilityQueryTranslator translator, String query) {
    Translation t = translator.translate(query);
    long[] n = new long[1];
    double ms = time(() -> n[0] = store.count(NAMESPACE_ID, t.where(), t.params()));
    report("count of '" + query + "'", ms, n[0] + " runs", List.of());
    return ms;
  }

  private double groupByStatus(VisibilityStore store, VisibilityQueryTranslator translator, String query) {
    Translation t = translator.translate(query);
    Map<Integer, Long>[] counts = new Map[1];
    double ms = time(() -> counts[0] = store.countByStatus(NAMESPACE_ID, t.where(), t.params()));
    report("count '" + query + "'", ms, counts[0].toString(), store.explainCountByStatus(NAMESPACE_ID, t.where(), t.params()));
    return ms;
  }

  /** The median of {@code repeat} runs after one unmeasured run, in milliseconds; prints the slowest too. */
  private double time(Runnable query) {
    query.run();
    double[] ms = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      long t0 = System.nanoTime();
      query.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    lastMax = ms[ms.length - 1];
    return ms[ms.length / 2];
  }

  private double lastMax;

  private void report(String what, double medianMs, String outcome, List<String> plan) {
    System.out.printf("%-75s median %8.2f ms  max %8.2f ms  (%s)%n", what, medianMs, lastMax, outcome);
    for (String line : plan) {
      System.out.println("    plan: " + line);
    }
  }
}
