-- Visibility on PostgreSQL: the same table as on SQLite (see its V4), with search_attributes as JSONB and each
-- attribute a stored generated column: scalars typed, KeywordList as a JSONB array (GIN-indexed, matched with @>),
-- Text with a tsvector of its words (GIN-indexed) next to it.
CREATE TABLE executions_visibility (
  namespace_id            VARCHAR(64)   NOT NULL,
  run_id                  VARCHAR(64)   NOT NULL,
  workflow_id             VARCHAR(1000) NOT NULL,
  workflow_type_name      VARCHAR(1000) NOT NULL,
  status                  INTEGER NOT NULL,
  start_time              BIGINT  NOT NULL,
  execution_time          BIGINT  NOT NULL,
  close_time              BIGINT,
  execution_duration      BIGINT,
  history_length          BIGINT  NOT NULL,
  history_size_bytes      BIGINT  NOT NULL,
  state_transition_count  BIGINT  NOT NULL,
  task_queue              VARCHAR(1000) NOT NULL,
  parent_workflow_id      VARCHAR(1000),
  parent_run_id           VARCHAR(64),
  root_workflow_id        VARCHAR(1000) NOT NULL,
  root_run_id             VARCHAR(64) NOT NULL,
  memo                    BYTEA,
  search_attributes_proto BYTEA,
  search_attributes       JSONB,
  version                 BIGINT  NOT NULL,
  close_time_sort         BIGINT GENERATED ALWAYS AS (COALESCE(close_time, 9223372036854775807)) STORED,
  TemporalChangeVersion                  JSONB GENERATED ALWAYS AS (search_attributes->'TemporalChangeVersion') STORED,
  BinaryChecksums                        JSONB GENERATED ALWAYS AS (search_attributes->'BinaryChecksums') STORED,
  BuildIds                               JSONB GENERATED ALWAYS AS (search_attributes->'BuildIds') STORED,
  BatcherNamespace                       TEXT GENERATED ALWAYS AS (search_attributes->>'BatcherNamespace') STORED,
  BatcherUser                            TEXT GENERATED ALWAYS AS (search_attributes->>'BatcherUser') STORED,
  TemporalScheduledStartTime             BIGINT GENERATED ALWAYS AS ((search_attributes->>'TemporalScheduledStartTime')::BIGINT) STORED,
  TemporalScheduledById                  TEXT GENERATED ALWAYS AS (search_attributes->>'TemporalScheduledById') STORED,
  TemporalSchedulePaused                 BOOLEAN GENERATED ALWAYS AS ((search_attributes->>'TemporalSchedulePaused')::BOOLEAN) STORED,
  TemporalNamespaceDivision              TEXT GENERATED ALWAYS AS (search_attributes->>'TemporalNamespaceDivision') STORED,
  TemporalPauseInfo                      JSONB GENERATED ALWAYS AS (search_attributes->'TemporalPauseInfo') STORED,
  TemporalReportedProblems               JSONB GENERATED ALWAYS AS (search_attributes->'TemporalReportedProblems') STORED,
  TemporalWorkerDeploymentVersion        TEXT GENERATED ALWAYS AS (search_attributes->>'TemporalWorkerDeploymentVersion') STORED,
  TemporalWorkerDeployment               TEXT GENERATED ALWAYS AS (search_attributes->>'TemporalWorkerDeployment') STORED,
  TemporalWorkflowVersioningBehavior     TEXT GENERATED ALWAYS AS (search_attributes->>'TemporalWorkflowVersioningBehavior') STORED,
  TemporalUsedWorkerDeploymentVersions   JSONB GENERATED ALWAYS AS (search_attributes->'TemporalUsedWorkerDeploymentVersions') STORED,
  Bool01                                 BOOLEAN GENERATED ALWAYS AS ((search_attributes->>'Bool01')::BOOLEAN) STORED,
  Bool02                                 BOOLEAN GENERATED ALWAYS AS ((search_attributes->>'Bool02')::BOOLEAN) STORED,
  Bool03                                 BOOLEAN GENERATED ALWAYS AS ((search_attributes->>'Bool03')::BOOLEAN) STORED,
  Datetime01                             BIGINT GENERATED ALWAYS AS ((search_attributes->>'Datetime01')::BIGINT) STORED,
  Datetime02                             BIGINT GENERATED ALWAYS AS ((search_attributes->>'Datetime02')::BIGINT) STORED,
  Datetime03                             BIGINT GENERATED ALWAYS AS ((search_attributes->>'Datetime03')::BIGINT) STORED,
  Double01                               DOUBLE PRECISION GENERATED ALWAYS AS ((search_attributes->>'Double01')::DOUBLE PRECISION) STORED,
  Double02                               DOUBLE PRECISION GENERATED ALWAYS AS ((search_attributes->>'Double02')::DOUBLE PRECISION) STORED,
  Double03                               DOUBLE PRECISION GENERATED ALWAYS AS ((search_attributes->>'Double03')::DOUBLE PRECISION) STORED,
  Int01                                  BIGINT GENERATED ALWAYS AS ((search_attributes->>'Int01')::BIGINT) STORED,
  Int02                                  BIGINT GENERATED ALWAYS AS ((search_attributes->>'Int02')::BIGINT) STORED,
  Int03                                  BIGINT GENERATED ALWAYS AS ((search_attributes->>'Int03')::BIGINT) STORED,
  Keyword01                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword01') STORED,
  Keyword02                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword02') STORED,
  Keyword03                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword03') STORED,
  Keyword04                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword04') STORED,
  Keyword05                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword05') STORED,
  Keyword06                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword06') STORED,
  Keyword07                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword07') STORED,
  Keyword08                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword08') STORED,
  Keyword09                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword09') STORED,
  Keyword10                              TEXT GENERATED ALWAYS AS (search_attributes->>'Keyword10') STORED,
  Text01                                 TEXT GENERATED ALWAYS AS (search_attributes->>'Text01') STORED,
  Text02                                 TEXT GENERATED ALWAYS AS (search_attributes->>'Text02') STORED,
  Text03                                 TEXT GENERATED ALWAYS AS (search_attributes->>'Text03') STORED,
  KeywordList01                          JSONB GENERATED ALWAYS AS (search_attributes->'KeywordList01') STORED,
  KeywordList02                          JSONB GENERATED ALWAYS AS (search_attributes->'KeywordList02') STORED,
  KeywordList03                          JSONB GENERATED ALWAYS AS (search_attributes->'KeywordList03') STORED,
  Text01_words                           TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(search_attributes->>'Text01', ''))) STORED,
  Text02_words                           TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(search_attributes->>'Text02', ''))) STORED,
  Text03_words                           TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(search_attributes->>'Text03', ''))) STORED,
  PRIMARY KEY (namespace_id, run_id)
);

CREATE INDEX executions_visibility_start_time ON executions_visibility (namespace_id, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_by_order ON executions_visibility (namespace_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_workflow_id ON executions_visibility (namespace_id, workflow_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_workflow_type ON executions_visibility (namespace_id, workflow_type_name, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_status ON executions_visibility (namespace_id, status, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_execution_time ON executions_visibility (namespace_id, execution_time, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_task_queue ON executions_visibility (namespace_id, task_queue, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_root ON executions_visibility (namespace_id, root_workflow_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_parent ON executions_visibility (namespace_id, parent_workflow_id, close_time_sort DESC, start_time DESC, run_id DESC) WHERE parent_workflow_id IS NOT NULL;
CREATE INDEX executions_visibility_temporalchangeversion ON executions_visibility USING GIN (TemporalChangeVersion) WHERE TemporalChangeVersion IS NOT NULL;
CREATE INDEX executions_visibility_binarychecksums ON executions_visibility USING GIN (BinaryChecksums) WHERE BinaryChecksums IS NOT NULL;
CREATE INDEX executions_visibility_buildids ON executions_visibility USING GIN (BuildIds) WHERE BuildIds IS NOT NULL;
CREATE INDEX executions_visibility_batchernamespace ON executions_visibility (namespace_id, BatcherNamespace, close_time_sort DESC, start_time DESC, run_id DESC) WHERE BatcherNamespace IS NOT NULL;
CREATE INDEX executions_visibility_batcheruser ON executions_visibility (namespace_id, BatcherUser, close_time_sort DESC, start_time DESC, run_id DESC) WHERE BatcherUser IS NOT NULL;
CREATE INDEX executions_visibility_temporalscheduledstarttime ON executions_visibility (namespace_id, TemporalScheduledStartTime, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalScheduledStartTime IS NOT NULL;
CREATE INDEX executions_visibility_temporalscheduledbyid ON executions_visibility (namespace_id, TemporalScheduledById, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalScheduledById IS NOT NULL;
CREATE INDEX executions_visibility_temporalschedulepaused ON executions_visibility (namespace_id, TemporalSchedulePaused, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalSchedulePaused IS NOT NULL;
CREATE INDEX executions_visibility_temporalnamespacedivision ON executions_visibility (namespace_id, TemporalNamespaceDivision, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalNamespaceDivision IS NOT NULL;
CREATE INDEX executions_visibility_temporalpauseinfo ON executions_visibility USING GIN (TemporalPauseInfo) WHERE TemporalPauseInfo IS NOT NULL;
CREATE INDEX executions_visibility_temporalreportedproblems ON executions_visibility USING GIN (TemporalReportedProblems) WHERE TemporalReportedProblems IS NOT NULL;
CREATE INDEX executions_visibility_temporalworkerdeploymentversion ON executions_visibility (namespace_id, TemporalWorkerDeploymentVersion, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalWorkerDeploymentVersion IS NOT NULL;
CREATE INDEX executions_visibility_temporalworkerdeployment ON executions_visibility (namespace_id, TemporalWorkerDeployment, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalWorkerDeployment IS NOT NULL;
CREATE INDEX executions_visibility_temporalworkflowversioningbehavior ON executions_visibility (namespace_id, TemporalWorkflowVersioningBehavior, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalWorkflowVersioningBehavior IS NOT NULL;
CREATE INDEX executions_visibility_temporalusedworkerdeploymentversions ON executions_visibility USING GIN (TemporalUsedWorkerDeploymentVersions) WHERE TemporalUsedWorkerDeploymentVersions IS NOT NULL;
CREATE INDEX executions_visibility_bool01 ON executions_visibility (namespace_id, Bool01, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Bool01 IS NOT NULL;
CREATE INDEX executions_visibility_bool02 ON executions_visibility (namespace_id, Bool02, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Bool02 IS NOT NULL;
CREATE INDEX executions_visibility_bool03 ON executions_visibility (namespace_id, Bool03, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Bool03 IS NOT NULL;
CREATE INDEX executions_visibility_datetime01 ON executions_visibility (namespace_id, Datetime01, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Datetime01 IS NOT NULL;
CREATE INDEX executions_visibility_datetime02 ON executions_visibility (namespace_id, Datetime02, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Datetime02 IS NOT NULL;
CREATE INDEX executions_visibility_datetime03 ON executions_visibility (namespace_id, Datetime03, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Datetime03 IS NOT NULL;
CREATE INDEX executions_visibility_double01 ON executions_visibility (namespace_id, Double01, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Double01 IS NOT NULL;
CREATE INDEX executions_visibility_double02 ON executions_visibility (namespace_id, Double02, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Double02 IS NOT NULL;
CREATE INDEX executions_visibility_double03 ON executions_visibility (namespace_id, Double03, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Double03 IS NOT NULL;
CREATE INDEX executions_visibility_int01 ON executions_visibility (namespace_id, Int01, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Int01 IS NOT NULL;
CREATE INDEX executions_visibility_int02 ON executions_visibility (namespace_id, Int02, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Int02 IS NOT NULL;
CREATE INDEX executions_visibility_int03 ON executions_visibility (namespace_id, Int03, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Int03 IS NOT NULL;
CREATE INDEX executions_visibility_keyword01 ON executions_visibility (namespace_id, Keyword01, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword01 IS NOT NULL;
CREATE INDEX executions_visibility_keyword02 ON executions_visibility (namespace_id, Keyword02, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword02 IS NOT NULL;
CREATE INDEX executions_visibility_keyword03 ON executions_visibility (namespace_id, Keyword03, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword03 IS NOT NULL;
CREATE INDEX executions_visibility_keyword04 ON executions_visibility (namespace_id, Keyword04, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword04 IS NOT NULL;
CREATE INDEX executions_visibility_keyword05 ON executions_visibility (namespace_id, Keyword05, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword05 IS NOT NULL;
CREATE INDEX executions_visibility_keyword06 ON executions_visibility (namespace_id, Keyword06, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword06 IS NOT NULL;
CREATE INDEX executions_visibility_keyword07 ON executions_visibility (namespace_id, Keyword07, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword07 IS NOT NULL;
CREATE INDEX executions_visibility_keyword08 ON executions_visibility (namespace_id, Keyword08, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword08 IS NOT NULL;
CREATE INDEX executions_visibility_keyword09 ON executions_visibility (namespace_id, Keyword09, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword09 IS NOT NULL;
CREATE INDEX executions_visibility_keyword10 ON executions_visibility (namespace_id, Keyword10, close_time_sort DESC, start_time DESC, run_id DESC) WHERE Keyword10 IS NOT NULL;
CREATE INDEX executions_visibility_text01 ON executions_visibility USING GIN (Text01_words) WHERE Text01 IS NOT NULL;
CREATE INDEX executions_visibility_text02 ON executions_visibility USING GIN (Text02_words) WHERE Text02 IS NOT NULL;
CREATE INDEX executions_visibility_text03 ON executions_visibility USING GIN (Text03_words) WHERE Text03 IS NOT NULL;
CREATE INDEX executions_visibility_keywordlist01 ON executions_visibility USING GIN (KeywordList01) WHERE KeywordList01 IS NOT NULL;
CREATE INDEX executions_visibility_keywordlist02 ON executions_visibility USING GIN (KeywordList02) WHERE KeywordList02 IS NOT NULL;
CREATE INDEX executions_visibility_keywordlist03 ON executions_visibility USING GIN (KeywordList03) WHERE KeywordList03 IS NOT NULL;
