-- PostgreSQL: the SQLite schema's tables with PostgreSQL types (BYTEA for blobs). Versions follow the SQLite
-- migrations so that every backend reports the same schema version; the outbox tables SQLite had before V3 never
-- existed here.
-- History shards: the lease (range_id) fences every write of the shard.
CREATE TABLE shards (
  shard_id     INTEGER PRIMARY KEY,
  range_id     BIGINT  NOT NULL,
  data         BYTEA    NOT NULL
);

CREATE TABLE namespaces (
  id           VARCHAR(64)  PRIMARY KEY,
  name         VARCHAR(255) NOT NULL UNIQUE,
  data         BYTEA         NOT NULL
);

-- One row per workflow run: its MutableState.
CREATE TABLE executions (
  shard_id       INTEGER       NOT NULL,
  namespace_id   VARCHAR(64)   NOT NULL,
  workflow_id    VARCHAR(1000) NOT NULL,
  run_id         VARCHAR(64)   NOT NULL,
  next_event_id  BIGINT        NOT NULL,
  db_version     BIGINT        NOT NULL,
  state          BYTEA          NOT NULL,
  PRIMARY KEY (shard_id, namespace_id, workflow_id, run_id)
);

-- Which run is the current one for a workflow id.
CREATE TABLE current_executions (
  shard_id           INTEGER       NOT NULL,
  namespace_id       VARCHAR(64)   NOT NULL,
  workflow_id        VARCHAR(1000) NOT NULL,
  run_id             VARCHAR(64)   NOT NULL,
  create_request_id  VARCHAR(255)  NOT NULL,
  status             INTEGER       NOT NULL,
  PRIMARY KEY (shard_id, namespace_id, workflow_id)
);

-- History, one row per batch of events written by one transition.
CREATE TABLE history_events (
  shard_id        INTEGER       NOT NULL,
  namespace_id    VARCHAR(64)   NOT NULL,
  workflow_id     VARCHAR(1000) NOT NULL,
  run_id          VARCHAR(64)   NOT NULL,
  first_event_id  BIGINT        NOT NULL,
  last_event_id   BIGINT        NOT NULL,
  batch           BYTEA          NOT NULL,
  PRIMARY KEY (shard_id, namespace_id, workflow_id, run_id, first_event_id)
);

-- Transactional outbox: work for matching.
-- Transactional outbox: work that fires at a time.
-- Matching: a task queue partition's lease and its persisted backlog.
CREATE TABLE task_queues (
  namespace_id  VARCHAR(64)  NOT NULL,
  name          VARCHAR(1000) NOT NULL,
  task_type     INTEGER      NOT NULL,
  range_id      BIGINT       NOT NULL,
  PRIMARY KEY (namespace_id, name, task_type)
);

CREATE TABLE tasks (
  namespace_id  VARCHAR(64)  NOT NULL,
  task_queue    VARCHAR(1000) NOT NULL,
  task_type     INTEGER      NOT NULL,
  task_id       BIGINT       NOT NULL,
  data          BYTEA         NOT NULL,
  PRIMARY KEY (namespace_id, task_queue, task_type, task_id)
);
