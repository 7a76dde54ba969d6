-- Topic administration: dynamic broker configs, deleted topics awaiting their purge, and where
-- compaction of each partition stands. See docs/adr/0008-retention-layout.md.

-- Kafka's dynamic broker configs (kafka-configs --entity-type brokers), by layer: '' holds the
-- cluster-wide defaults, a node id that broker's own values.
CREATE TABLE broker_configs (
    layer      varchar(64)  NOT NULL,
    name       varchar(255) NOT NULL,
    value      text         NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (layer, name)
);
COMMENT ON TABLE broker_configs IS 'Dynamic broker configs under Kafka''s names; layer '''' is the cluster default, else a node id.';

-- A deleted topic's row leaves topics at once (its partitions and producer state go with it by
-- cascade); its records and time index entries, which have no foreign key, are purged afterwards
-- in batches by the log cleaner, which then removes the row here.
CREATE TABLE deleted_topics (
    topic_key  integer     PRIMARY KEY,
    topic_id   uuid        NOT NULL,
    name       varchar(249) NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE deleted_topics IS 'Topics deleted whose records the log cleaner has not purged yet.';

-- Compaction's checkpoint per partition: records below clean_offset were compacted; each past pass
-- (end of its range, time in ms) gives the tombstones it covered their delete horizon.
CREATE TABLE cleaner_checkpoints (
    topic_key                integer  NOT NULL,
    partition                integer  NOT NULL,
    clean_offset             bigint   NOT NULL,
    tombstones_removed_below bigint   NOT NULL,
    pass_ends                bigint[] NOT NULL,
    pass_times               bigint[] NOT NULL,
    PRIMARY KEY (topic_key, partition),
    FOREIGN KEY (topic_key, partition) REFERENCES partitions (topic_key, partition) ON DELETE CASCADE
);
COMMENT ON TABLE cleaner_checkpoints IS 'Where compaction of a partition stands: the clean offset and the past passes (for tombstones).';
