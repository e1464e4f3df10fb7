-- Visibility: one row per run, written by the visibility queue's processor (never by a transition directly), as the
-- official SQL visibility. Times are epoch nanoseconds, durations nanoseconds. search_attributes holds every
-- predefined and custom search attribute as a JSON object keyed by its column name (custom ones by the slot the
-- namespace's registry gave them: Keyword01, Int02 ...): strings, integers (Datetime as epoch nanoseconds), reals,
-- true/false, arrays (KeywordList). The generated columns below expose each one for filters and indexes.
CREATE TABLE executions_visibility (
  namespace_id            TEXT    NOT NULL,
  run_id                  TEXT    NOT NULL,
  workflow_id             TEXT    NOT NULL,
  workflow_type_name      TEXT    NOT NULL,
  status                  INTEGER NOT NULL,  -- temporal WorkflowExecutionStatus number
  start_time              BIGINT  NOT NULL,
  execution_time          BIGINT  NOT NULL,
  close_time              BIGINT,            -- NULL while the run is open
  execution_duration      BIGINT,            -- close_time - execution_time; NULL while open
  history_length          BIGINT  NOT NULL,
  history_size_bytes      BIGINT  NOT NULL,
  state_transition_count  BIGINT  NOT NULL,
  task_queue              TEXT    NOT NULL,
  parent_workflow_id      TEXT,
  parent_run_id           TEXT,
  root_workflow_id        TEXT    NOT NULL,
  root_run_id             TEXT    NOT NULL,
  memo                    BLOB,              -- temporal Memo
  search_attributes_proto BLOB,              -- temporal SearchAttributes as set, returned by list calls
  search_attributes       TEXT,              -- JSON, see above
  version                 BIGINT  NOT NULL,  -- the run's record version: an older task never overwrites a newer row
  -- The default order (open runs first, then by close time, newest first) as one column an index can hold.
  close_time_sort         BIGINT GENERATED ALWAYS AS (COALESCE(close_time, 9223372036854775807)) VIRTUAL,
  TemporalChangeVersion                  GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalChangeVersion')) VIRTUAL,
  BinaryChecksums                        GENERATED ALWAYS AS (json_extract(search_attributes, '$.BinaryChecksums')) VIRTUAL,
  BuildIds                               GENERATED ALWAYS AS (json_extract(search_attributes, '$.BuildIds')) VIRTUAL,
  BatcherNamespace                       GENERATED ALWAYS AS (json_extract(search_attributes, '$.BatcherNamespace')) VIRTUAL,
  BatcherUser                            GENERATED ALWAYS AS (json_extract(search_attributes, '$.BatcherUser')) VIRTUAL,
  TemporalScheduledStartTime             GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalScheduledStartTime')) VIRTUAL,
  TemporalScheduledById                  GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalScheduledById')) VIRTUAL,
  TemporalSchedulePaused                 GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalSchedulePaused')) VIRTUAL,
  TemporalNamespaceDivision              GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalNamespaceDivision')) VIRTUAL,
  TemporalPauseInfo                      GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalPauseInfo')) VIRTUAL,
  TemporalReportedProblems               GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalReportedProblems')) VIRTUAL,
  TemporalWorkerDeploymentVersion        GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalWorkerDeploymentVersion')) VIRTUAL,
  TemporalWorkerDeployment               GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalWorkerDeployment')) VIRTUAL,
  TemporalWorkflowVersioningBehavior     GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalWorkflowVersioningBehavior')) VIRTUAL,
  TemporalUsedWorkerDeploymentVersions   GENERATED ALWAYS AS (json_extract(search_attributes, '$.TemporalUsedWorkerDeploymentVersions')) VIRTUAL,
  Bool01                                 GENERATED ALWAYS AS (json_extract(search_attributes, '$.Bool01')) VIRTUAL,
  Bool02                                 GENERATED ALWAYS AS (json_extract(search_attributes, '$.Bool02')) VIRTUAL,
  Bool03                                 GENERATED ALWAYS AS (json_extract(search_attributes, '$.Bool03')) VIRTUAL,
  Datetime01                             GENERATED ALWAYS AS (json_extract(search_attributes, '$.Datetime01')) VIRTUAL,
  Datetime02                             GENERATED ALWAYS AS (json_extract(search_attributes, '$.Datetime02')) VIRTUAL,
  Datetime03                             GENERATED ALWAYS AS (json_extract(search_attributes, '$.Datetime03')) VIRTUAL,
  Double01                               GENERATED ALWAYS AS (json_extract(search_attributes, '$.Double01')) VIRTUAL,
  Double02                               GENERATED ALWAYS AS (json_extract(search_attributes, '$.Double02')) VIRTUAL,
  Double03                               GENERATED ALWAYS AS (json_extract(search_attributes, '$.Double03')) VIRTUAL,
  Int01                                  GENERATED ALWAYS AS (json_extract(search_attributes, '$.Int01')) VIRTUAL,
  Int02                                  GENERATED ALWAYS AS (json_extract(search_attributes, '$.Int02')) VIRTUAL,
  Int03                                  GENERATED ALWAYS AS (json_extract(search_attributes, '$.Int03')) VIRTUAL,
  Keyword01                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword01')) VIRTUAL,
  Keyword02                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword02')) VIRTUAL,
  Keyword03                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword03')) VIRTUAL,
  Keyword04                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword04')) VIRTUAL,
  Keyword05                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword05')) VIRTUAL,
  Keyword06                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword06')) VIRTUAL,
  Keyword07                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword07')) VIRTUAL,
  Keyword08                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword08')) VIRTUAL,
  Keyword09                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword09')) VIRTUAL,
  Keyword10                              GENERATED ALWAYS AS (json_extract(search_attributes, '$.Keyword10')) VIRTUAL,
  Text01                                 GENERATED ALWAYS AS (json_extract(search_attributes, '$.Text01')) VIRTUAL,
  Text02                                 GENERATED ALWAYS AS (json_extract(search_attributes, '$.Text02')) VIRTUAL,
  Text03                                 GENERATED ALWAYS AS (json_extract(search_attributes, '$.Text03')) VIRTUAL,
  KeywordList01                          GENERATED ALWAYS AS (json_extract(search_attributes, '$.KeywordList01')) VIRTUAL,
  KeywordList02                          GENERATED ALWAYS AS (json_extract(search_attributes, '$.KeywordList02')) VIRTUAL,
  KeywordList03                          GENERATED ALWAYS AS (json_extract(search_attributes, '$.KeywordList03')) VIRTUAL,
  PRIMARY KEY (namespace_id, run_id)
);

-- Indexes on search attribute columns (and the parent) are partial: a run without the attribute costs no index
-- entry, and a filter on the attribute (=, <, IN ... all imply IS NOT NULL) still uses the index.
CREATE INDEX executions_visibility_by_order ON executions_visibility (namespace_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_workflow_id ON executions_visibility (namespace_id, workflow_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_workflow_type ON executions_visibility (namespace_id, workflow_type_name, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_status ON executions_visibility (namespace_id, status, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_start_time ON executions_visibility (namespace_id, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_execution_time ON executions_visibility (namespace_id, execution_time, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_task_queue ON executions_visibility (namespace_id, task_queue, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_root ON executions_visibility (namespace_id, root_workflow_id, close_time_sort DESC, start_time DESC, run_id DESC);
CREATE INDEX executions_visibility_parent ON executions_visibility (namespace_id, parent_workflow_id, close_time_sort DESC, start_time DESC, run_id DESC) WHERE parent_workflow_id IS NOT NULL;
CREATE INDEX executions_visibility_batcheruser ON executions_visibility (namespace_id, BatcherUser, close_time_sort DESC, start_time DESC, run_id DESC) WHERE BatcherUser IS NOT NULL;
CREATE INDEX executions_visibility_temporalscheduledstarttime ON executions_visibility (namespace_id, TemporalScheduledStartTime, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalScheduledStartTime IS NOT NULL;
CREATE INDEX executions_visibility_temporalscheduledbyid ON executions_visibility (namespace_id, TemporalScheduledById, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalScheduledById IS NOT NULL;
CREATE INDEX executions_visibility_temporalschedulepaused ON executions_visibility (namespace_id, TemporalSchedulePaused, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalSchedulePaused IS NOT NULL;
CREATE INDEX executions_visibility_temporalnamespacedivision ON executions_visibility (namespace_id, TemporalNamespaceDivision, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalNamespaceDivision IS NOT NULL;
CREATE INDEX executions_visibility_temporalworkerdeploymentversion ON executions_visibility (namespace_id, TemporalWorkerDeploymentVersion, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalWorkerDeploymentVersion IS NOT NULL;
CREATE INDEX executions_visibility_temporalworkerdeployment ON executions_visibility (namespace_id, TemporalWorkerDeployment, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalWorkerDeployment IS NOT NULL;
CREATE INDEX executions_visibility_temporalworkflowversioningbehavior ON executions_visibility (namespace_id, TemporalWorkflowVersioningBehavior, close_time_sort DESC, start_time DESC, run_id DESC) WHERE TemporalWorkflowVersioningBehavior IS NOT NULL;
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

-- Text attributes are matched by words (as the official SQLite visibility does with FTS5); kept in step by triggers.
CREATE VIRTUAL TABLE executions_visibility_fts_text USING fts5(
  Text01, Text02, Text03, content='executions_visibility', content_rowid='rowid', tokenize="unicode61 remove_diacritics 2");

CREATE TRIGGER executions_visibility_fts_insert AFTER INSERT ON executions_visibility
  WHEN new.Text01 IS NOT NULL OR new.Text02 IS NOT NULL OR new.Text03 IS NOT NULL BEGIN
  INSERT INTO executions_visibility_fts_text (rowid, Text01, Text02, Text03) VALUES (new.rowid, new.Text01, new.Text02, new.Text03);
END;
CREATE TRIGGER executions_visibility_fts_delete AFTER DELETE ON executions_visibility
  WHEN old.Text01 IS NOT NULL OR old.Text02 IS NOT NULL OR old.Text03 IS NOT NULL BEGIN
  INSERT INTO executions_visibility_fts_text (executions_visibility_fts_text, rowid, Text01, Text02, Text03)
    VALUES ('delete', old.rowid, old.Text01, old.Text02, old.Text03);
END;
-- Text columns unchanged (the common case: a status change at close): the full-text index is left alone.
CREATE TRIGGER executions_visibility_fts_update AFTER UPDATE ON executions_visibility
  WHEN old.Text01 IS NOT new.Text01 OR old.Text02 IS NOT new.Text02 OR old.Text03 IS NOT new.Text03 BEGIN
  INSERT INTO executions_visibility_fts_text (executions_visibility_fts_text, rowid, Text01, Text02, Text03)
    SELECT 'delete', old.rowid, old.Text01, old.Text02, old.Text03
    WHERE old.Text01 IS NOT NULL OR old.Text02 IS NOT NULL OR old.Text03 IS NOT NULL;
  INSERT INTO executions_visibility_fts_text (rowid, Text01, Text02, Text03)
    SELECT new.rowid, new.Text01, new.Text02, new.Text03
    WHERE new.Text01 IS NOT NULL OR new.Text02 IS NOT NULL OR new.Text03 IS NOT NULL;
END;
