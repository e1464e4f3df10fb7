-- Facts about the whole cluster that its data depends on, e.g. the number of history shards.
CREATE TABLE cluster_metadata (
  name   VARBINARY(255) PRIMARY KEY,
  value  VARBINARY(1000) NOT NULL
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
