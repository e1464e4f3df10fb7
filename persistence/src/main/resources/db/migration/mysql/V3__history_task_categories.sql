-- One outbox table for every task category of a history shard (transfer, timer, and those to come: visibility,
-- schedule timers, retention). Immediate categories store fire_time 0, so their order is the task id.
CREATE TABLE history_tasks (
  shard_id     INTEGER NOT NULL,
  category_id  INTEGER NOT NULL,
  fire_time    BIGINT  NOT NULL,
  task_id      BIGINT  NOT NULL,
  data         LONGBLOB NOT NULL,
  PRIMARY KEY (shard_id, category_id, fire_time, task_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;


-- Tasks that kept failing, set aside so their queue goes on; listed, re-run or purged by an operator.
CREATE TABLE history_task_dlq (
  shard_id     INTEGER NOT NULL,
  category_id  INTEGER NOT NULL,
  fire_time    BIGINT  NOT NULL,
  task_id      BIGINT  NOT NULL,
  data         LONGBLOB NOT NULL,
  attempts     INTEGER NOT NULL,
  last_error   TEXT    NOT NULL,
  added_time   BIGINT  NOT NULL,
  PRIMARY KEY (shard_id, category_id, fire_time, task_id)
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
