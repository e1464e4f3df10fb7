-- MySQL 8 / MariaDB 10.11 (InnoDB): the SQLite schema's tables. Versions follow the SQLite migrations so that every
-- backend reports the same schema version; the outbox tables SQLite had before V3 never existed here.
-- Identifiers (ids, workflow ids, task queue names) are VARBINARY: compared byte by byte as SQLite and PostgreSQL
-- compare them, and a key of them stays inside InnoDB's 3072-byte index limit (VARBINARY(1000) in utf8mb4 would not).
-- History shards: the lease (range_id) fences every write of the shard.
CREATE TABLE shards (
  shard_id     INTEGER PRIMARY KEY,
  range_id     BIGINT  NOT NULL,
  data         LONGBLOB NOT NULL
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE namespaces (
  id           VARBINARY(64)  PRIMARY KEY,
  name         VARBINARY(255) NOT NULL UNIQUE,
  data         LONGBLOB NOT NULL
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- One row per workflow run: its MutableState.
CREATE TABLE executions (
  shard_id       INTEGER       NOT NULL,
  namespace_id   VARBINARY(64)   NOT NULL,
  workflow_id    VARBINARY(1000) NOT NULL,
  run_id         VARBINARY(64)   NOT NULL,
  next_event_id  BIGINT        NOT NULL,
  db_version     BIGINT        NOT NULL,
  state          LONGBLOB NOT NULL,
  PRIMARY KEY (shard_id, namespace_id, workflow_id, run_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Which run is the current one for a workflow id.
CREATE TABLE current_executions (
  shard_id           INTEGER       NOT NULL,
  namespace_id       VARBINARY(64)   NOT NULL,
  workflow_id        VARBINARY(1000) NOT NULL,
  run_id             VARBINARY(64)   NOT NULL,
  create_request_id  VARBINARY(255)  NOT NULL,
  status             INTEGER       NOT NULL,
  PRIMARY KEY (shard_id, namespace_id, workflow_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- History, one row per batch of events written by one transition.
CREATE TABLE history_events (
  shard_id        INTEGER       NOT NULL,
  namespace_id    VARBINARY(64)   NOT NULL,
  workflow_id     VARBINARY(1000) NOT NULL,
  run_id          VARBINARY(64)   NOT NULL,
  first_event_id  BIGINT        NOT NULL,
  last_event_id   BIGINT        NOT NULL,
  batch           LONGBLOB NOT NULL,
  PRIMARY KEY (shard_id, namespace_id, workflow_id, run_id, first_event_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Transactional outbox: work for matching.
-- Transactional outbox: work that fires at a time.
-- Matching: a task queue partition's lease and its persisted backlog.
CREATE TABLE task_queues (
  namespace_id  VARBINARY(64)  NOT NULL,
  name          VARBINARY(1000) NOT NULL,
  task_type     INTEGER      NOT NULL,
  range_id      BIGINT       NOT NULL,
  PRIMARY KEY (namespace_id, name, task_type)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE tasks (
  namespace_id  VARBINARY(64)  NOT NULL,
  task_queue    VARBINARY(1000) NOT NULL,
  task_type     INTEGER      NOT NULL,
  task_id       BIGINT       NOT NULL,
  data          LONGBLOB NOT NULL,
  PRIMARY KEY (namespace_id, task_queue, task_type, task_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
