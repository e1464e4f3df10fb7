-- Facts about the whole cluster that its data depends on, e.g. the number of history shards.
CREATE TABLE cluster_metadata (
  name   VARCHAR(255) PRIMARY KEY,
  value  VARCHAR(1000) NOT NULL
);
