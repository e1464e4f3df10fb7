-- Visibility on MySQL / MariaDB: the same table as on SQLite (see its V4), search_attributes as JSON and each
-- attribute a stored generated column: scalars typed (Keyword as bytes, compared exactly as on the other databases
-- (a PAD SPACE collation would take 'a' for 'a '), its first 1020 bytes: a longer value is kept whole in
-- search_attributes, its column holds the start), KeywordList
-- as a JSON array (matched with JSON_CONTAINS, not indexed: MariaDB has no multi-valued index), Text in a case- and
-- accent-insensitive collation with a FULLTEXT index (matched with MATCH ... AGAINST in boolean mode; words shorter than
-- innodb_ft_min_token_size, 3 by default, are not indexed; the index has no stopwords). MySQL has no partial indexes,
-- so every index holds every row.
CREATE TABLE executions_visibility (
  namespace_id            VARBINARY(64)   NOT NULL,
  run_id                  VARBINARY(64)   NOT NULL,
  workflow_id             VARBINARY(1000) NOT NULL,
  workflow_type_name      VARBINARY(1000) NOT NULL,
  status                  INTEGER NOT NULL,
  start_time              BIGINT  NOT NULL,
  execution_time          BIGINT  NOT NULL,
  close_time              BIGINT,
  execution_duration      BIGINT,
  history_length          BIGINT  NOT NULL,
  history_size_bytes      BIGINT  NOT NULL,
  state_transition_count  BIGINT  NOT NULL,
  task_queue              VARBINARY(1000) NOT NULL,
  parent_workflow_id      VARBINARY(1000),
  parent_run_id           VARBINARY(64),
  root_workflow_id        VARBINARY(1000) NOT NULL,
  root_run_id             VARBINARY(64) NOT NULL,
  memo                    LONGBLOB,
  search_attributes_proto LONGBLOB,
  search_attributes       JSON,
  version                 BIGINT  NOT NULL,
  close_time_sort         BIGINT GENERATED ALWAYS AS (COALESCE(close_time, 9223372036854775807)) STORED,
  TemporalChangeVersion                  JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.TemporalChangeVersion')) STORED,
  BinaryChecksums                        JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.BinaryChecksums')) STORED,
  BuildIds                               JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.BuildIds')) STORED,
  BatcherNamespace                       VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.BatcherNamespace')) AS BINARY), 1020)) STORED,
  BatcherUser                            VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.BatcherUser')) AS BINARY), 1020)) STORED,
  TemporalScheduledStartTime             BIGINT GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.TemporalScheduledStartTime')) AS SIGNED)) STORED,
  TemporalScheduledById                  VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.TemporalScheduledById')) AS BINARY), 1020)) STORED,
  TemporalSchedulePaused                 TINYINT(1) GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.TemporalSchedulePaused')) = 'true') STORED,
  TemporalNamespaceDivision              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.TemporalNamespaceDivision')) AS BINARY), 1020)) STORED,
  TemporalPauseInfo                      JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.TemporalPauseInfo')) STORED,
  TemporalReportedProblems               JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.TemporalReportedProblems')) STORED,
  TemporalWorkerDeploymentVersion        VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.TemporalWorkerDeploymentVersion')) AS BINARY), 1020)) STORED,
  TemporalWorkerDeployment               VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.TemporalWorkerDeployment')) AS BINARY), 1020)) STORED,
  TemporalWorkflowVersioningBehavior     VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.TemporalWorkflowVersioningBehavior')) AS BINARY), 1020)) STORED,
  TemporalUsedWorkerDeploymentVersions   JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.TemporalUsedWorkerDeploymentVersions')) STORED,
  Bool01                                 TINYINT(1) GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Bool01')) = 'true') STORED,
  Bool02                                 TINYINT(1) GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Bool02')) = 'true') STORED,
  Bool03                                 TINYINT(1) GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Bool03')) = 'true') STORED,
  Datetime01                             BIGINT GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Datetime01')) AS SIGNED)) STORED,
  Datetime02                             BIGINT GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Datetime02')) AS SIGNED)) STORED,
  Datetime03                             BIGINT GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Datetime03')) AS SIGNED)) STORED,
  Double01                               DOUBLE GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Double01')) AS DOUBLE)) STORED,
  Double02                               DOUBLE GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Double02')) AS DOUBLE)) STORED,
  Double03                               DOUBLE GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Double03')) AS DOUBLE)) STORED,
  Int01                                  BIGINT GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Int01')) AS SIGNED)) STORED,
  Int02                                  BIGINT GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Int02')) AS SIGNED)) STORED,
  Int03                                  BIGINT GENERATED ALWAYS AS (CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Int03')) AS SIGNED)) STORED,
  Keyword01                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword01')) AS BINARY), 1020)) STORED,
  Keyword02                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword02')) AS BINARY), 1020)) STORED,
  Keyword03                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword03')) AS BINARY), 1020)) STORED,
  Keyword04                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword04')) AS BINARY), 1020)) STORED,
  Keyword05                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword05')) AS BINARY), 1020)) STORED,
  Keyword06                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword06')) AS BINARY), 1020)) STORED,
  Keyword07                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword07')) AS BINARY), 1020)) STORED,
  Keyword08                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword08')) AS BINARY), 1020)) STORED,
  Keyword09                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword09')) AS BINARY), 1020)) STORED,
  Keyword10                              VARBINARY(1020) GENERATED ALWAYS AS (LEFT(CAST(JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Keyword10')) AS BINARY), 1020)) STORED,
  Text01                                 TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Text01'))) STORED,
  Text02                                 TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Text02'))) STORED,
  Text03                                 TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(search_attributes, '$.Text03'))) STORED,
  KeywordList01                          JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.KeywordList01')) STORED,
  KeywordList02                          JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.KeywordList02')) STORED,
  KeywordList03                          JSON GENERATED ALWAYS AS (JSON_EXTRACT(search_attributes, '$.KeywordList03')) STORED,
  PRIMARY KEY (namespace_id, run_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE INDEX executions_visibility_start_time ON executions_visibility (namespace_id, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_by_order ON executions_visibility (namespace_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_workflow_id ON executions_visibility (namespace_id, workflow_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_workflow_type ON executions_visibility (namespace_id, workflow_type_name, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_status ON executions_visibility (namespace_id, status, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_execution_time ON executions_visibility (namespace_id, execution_time, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_task_queue ON executions_visibility (namespace_id, task_queue, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_root ON executions_visibility (namespace_id, root_workflow_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_parent ON executions_visibility (namespace_id, parent_workflow_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_batchernamespace ON executions_visibility (namespace_id, BatcherNamespace, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_batcheruser ON executions_visibility (namespace_id, BatcherUser, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_temporalscheduledstarttime ON executions_visibility (namespace_id, TemporalScheduledStartTime, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_temporalscheduledbyid ON executions_visibility (namespace_id, TemporalScheduledById, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_temporalschedulepaused ON executions_visibility (namespace_id, TemporalSchedulePaused, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_temporalnamespacedivision ON executions_visibility (namespace_id, TemporalNamespaceDivision, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_temporalworkerdeploymentversion ON executions_visibility (namespace_id, TemporalWorkerDeploymentVersion, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_temporalworkerdeployment ON executions_visibility (namespace_id, TemporalWorkerDeployment, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_temporalworkflowversioningbehavior ON executions_visibility (namespace_id, TemporalWorkflowVersioningBehavior, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_bool01 ON executions_visibility (namespace_id, Bool01, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_bool02 ON executions_visibility (namespace_id, Bool02, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_bool03 ON executions_visibility (namespace_id, Bool03, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_datetime01 ON executions_visibility (namespace_id, Datetime01, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_datetime02 ON executions_visibility (namespace_id, Datetime02, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_datetime03 ON executions_visibility (namespace_id, Datetime03, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_double01 ON executions_visibility (namespace_id, Double01, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_double02 ON executions_visibility (namespace_id, Double02, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_double03 ON executions_visibility (namespace_id, Double03, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_int01 ON executions_visibility (namespace_id, Int01, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_int02 ON executions_visibility (namespace_id, Int02, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_int03 ON executions_visibility (namespace_id, Int03, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword01 ON executions_visibility (namespace_id, Keyword01, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword02 ON executions_visibility (namespace_id, Keyword02, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword03 ON executions_visibility (namespace_id, Keyword03, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword04 ON executions_visibility (namespace_id, Keyword04, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword05 ON executions_visibility (namespace_id, Keyword05, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword06 ON executions_visibility (namespace_id, Keyword06, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword07 ON executions_visibility (namespace_id, Keyword07, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword08 ON executions_visibility (namespace_id, Keyword08, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword09 ON executions_visibility (namespace_id, Keyword09, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_keyword10 ON executions_visibility (namespace_id, Keyword10, close_time_sort DESC, start_time DESC, run_id DESC);

-- Without stopwords, so that every word of a Text is found (the session setting applies to indexes created here).
SET SESSION innodb_ft_enable_stopword = 0;
CREATE FULLTEXT INDEX executions_visibility_text01 ON executions_visibility (Text01);
CREATE FULLTEXT INDEX executions_visibility_text02 ON executions_visibility (Text02);
CREATE FULLTEXT INDEX executions_visibility_text03 ON executions_visibility (Text03);
