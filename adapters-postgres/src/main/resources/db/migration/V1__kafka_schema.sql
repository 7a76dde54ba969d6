-- The pgkafka schema: topics, partition heads, records (one row each), producer state, cluster id.
-- Flyway runs this in schema "kafka" (its default schema), so names stay unqualified here; jOOQ
-- generates its classes from this file. See docs/adr/0002-records-as-rows.md.

CREATE TABLE topics (
    topic_key       integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic_id        uuid        NOT NULL UNIQUE,
    name            varchar(249) NOT NULL UNIQUE,
    partition_count integer     NOT NULL CHECK (partition_count > 0),
    configs         jsonb       NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE topics IS 'Kafka topics. topic_key is the small internal key the other tables use; topic_id is the Kafka topic id.';
COMMENT ON COLUMN topics.configs IS 'Topic config overrides (Kafka names, string values); defaults come from the broker.';

-- One row per partition: its head. Appends lock this row (FOR NO KEY UPDATE) for the length of their
-- transaction; it is the only lock writers contend on.
CREATE TABLE partitions (
    topic_key          integer NOT NULL REFERENCES topics (topic_key) ON DELETE CASCADE,
    partition          integer NOT NULL CHECK (partition >= 0),
    log_start_offset   bigint  NOT NULL DEFAULT 0,
    next_offset        bigint  NOT NULL DEFAULT 0,
    last_stable_offset bigint  NOT NULL DEFAULT 0,
    max_timestamp      bigint  NOT NULL DEFAULT -9223372036854775808,
    log_bytes          bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (topic_key, partition)
);
COMMENT ON TABLE partitions IS 'Partition heads; the row is locked by every append to the partition.';
COMMENT ON COLUMN partitions.next_offset IS 'The high watermark: the offset the next record gets. Records below it are committed.';
COMMENT ON COLUMN partitions.last_stable_offset IS 'First offset of the oldest open transaction, or next_offset when there is none.';
COMMENT ON COLUMN partitions.max_timestamp IS 'Largest record timestamp in the log so far (drives time_index).';
COMMENT ON COLUMN partitions.log_bytes IS 'Sum of records.size over the partition''s rows (what retention.bytes limits).';
/* [jooq ignore start] */
-- The row is updated by every append: leave room on its page so the updates stay HOT.
ALTER TABLE partitions SET (fillfactor = 50);
/* [jooq ignore stop] */

-- One row per record. Fixed-width columns first (8-byte aligned, no padding), variable ones last.
-- No foreign key: the writer holds the partition lock, and a per-row RI check would cost more than
-- the insert itself. The primary key leads with the columns a future PARTITION BY would use.
CREATE TABLE records (
    "offset"       bigint   NOT NULL,
    timestamp      bigint   NOT NULL,
    producer_id    bigint   NOT NULL,
    topic_key      integer  NOT NULL,
    partition      integer  NOT NULL,
    sequence       integer  NOT NULL,
    size           integer  NOT NULL,
    producer_epoch smallint NOT NULL,
    attributes     smallint NOT NULL,
    key            bytea,
    value          bytea,
    header_keys    text[],
    header_values  bytea[],
    PRIMARY KEY (topic_key, partition, "offset")
);
COMMENT ON TABLE records IS 'One row per Kafka record. Read it through the view messages.';
COMMENT ON COLUMN records.timestamp IS 'Milliseconds since the epoch (CreateTime or LogAppendTime, see attributes).';
COMMENT ON COLUMN records.size IS 'Payload bytes of the record as retention.bytes counts them: key, value and headers plus 16 bytes of framing.';
COMMENT ON COLUMN records.sequence IS 'Producer sequence of this record (batch base sequence + offset delta), -1 without an idempotent producer.';
COMMENT ON COLUMN records.attributes IS 'Kafka RecordBatch attribute bits of the batch the record came in: compression (0-2), timestamp type (3), transactional (4), control (5).';
COMMENT ON COLUMN records.header_keys IS 'Header keys in order; NULL when the record has no headers.';
COMMENT ON COLUMN records.header_values IS 'Header values, same order as header_keys; an element is NULL for a null header value.';
/* [jooq ignore start] */
-- Retention and compaction delete rows (docs/adr/0008-retention-layout.md): vacuum after 2% of the
-- table changed, not the default 20%, so the space of removed records is reused before the table grows.
ALTER TABLE records SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 10000,
                         autovacuum_vacuum_insert_scale_factor = 0.02);
/* [jooq ignore stop] */

-- A sparse time index, as Kafka keeps per segment: one entry per batch that raised the partition's
-- largest timestamp. Entries are strictly increasing in both max_timestamp and offset, so a
-- timestamp lookup is one index probe plus a scan of one batch.
CREATE TABLE time_index (
    topic_key     integer NOT NULL,
    partition     integer NOT NULL,
    max_timestamp bigint  NOT NULL,
    "offset"      bigint  NOT NULL,
    base_offset   bigint  NOT NULL,
    PRIMARY KEY (topic_key, partition, max_timestamp)
);
COMMENT ON TABLE time_index IS 'For each batch that raised the partition''s max timestamp: that timestamp, the offset of its first record carrying it, and the batch''s first offset.';

-- What a partition remembers of an idempotent or transactional producer: its epoch and its last
-- (at most five) batches, oldest first, as parallel arrays.
CREATE TABLE producer_state (
    topic_key            integer   NOT NULL,
    partition            integer   NOT NULL,
    producer_id          bigint    NOT NULL,
    producer_epoch       smallint  NOT NULL,
    txn_first_offset     bigint    NOT NULL,
    last_timestamp       bigint    NOT NULL,
    batch_first_sequence integer[] NOT NULL,
    batch_last_sequence  integer[] NOT NULL,
    batch_first_offset   bigint[]  NOT NULL,
    batch_last_offset    bigint[]  NOT NULL,
    batch_max_timestamp  bigint[]  NOT NULL,
    PRIMARY KEY (topic_key, partition, producer_id),
    FOREIGN KEY (topic_key, partition) REFERENCES partitions (topic_key, partition) ON DELETE CASCADE
);
COMMENT ON TABLE producer_state IS 'Idempotent producer state per partition: epoch, open transaction, last five batches (oldest first).';

CREATE SEQUENCE producer_ids AS bigint START WITH 0 MINVALUE 0 NO CYCLE;
COMMENT ON SEQUENCE producer_ids IS 'Producer ids handed out by InitProducerId; never reused.';

CREATE TABLE cluster (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    cluster_id text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE cluster IS 'One row: the Kafka cluster id, created with the storage.';

/* [jooq ignore start] */
-- Text for psql readers: the bytes as UTF-8 when they are valid UTF-8, else '\x' and hex. Never fails.
CREATE FUNCTION bytes_to_text(bytes bytea) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS
$$
BEGIN
    RETURN convert_from(bytes, 'UTF8');
EXCEPTION WHEN OTHERS THEN
    RETURN '\x' || encode(bytes, 'hex');
END
$$;
COMMENT ON FUNCTION bytes_to_text(bytea) IS 'The bytes as text when they are valid UTF-8, else ''\x'' followed by hex; never raises.';

-- The records as people want to read them:
--   SELECT topic, partition, "offset", timestamp, key, value, headers FROM kafka.messages
--    WHERE topic = 'orders' AND partition = 0 AND "offset" >= 100 ORDER BY "offset" LIMIT 20;
-- Filters on topic, partition and "offset" use the records' primary key.
CREATE VIEW messages AS
SELECT t.name                                              AS topic,
       r.partition                                         AS partition,
       r."offset"                                          AS "offset",
       timestamptz 'epoch' + r.timestamp * interval '1 millisecond' AS timestamp,
       r.key                                               AS key,
       r.value                                             AS value,
       CASE WHEN r.header_keys IS NULL THEN '[]'::jsonb ELSE
           (SELECT jsonb_agg(jsonb_build_object('key', h.key, 'value', bytes_to_text(h.value)) ORDER BY h.ord)
              FROM unnest(r.header_keys, r.header_values) WITH ORDINALITY AS h (key, value, ord))
       END                                                 AS headers,
       bytes_to_text(r.key)                                AS key_text,
       bytes_to_text(r.value)                              AS value_text,
       CASE WHEN r.attributes & 8 = 0 THEN 'CreateTime' ELSE 'LogAppendTime' END AS timestamp_type,
       r.producer_id                                       AS producer_id,
       r.producer_epoch                                    AS producer_epoch,
       r.sequence                                          AS sequence,
       r.attributes & 16 <> 0                              AS transactional,
       r.timestamp                                         AS timestamp_ms,
       t.topic_id                                          AS topic_id
  FROM records r
  JOIN topics t ON t.topic_key = r.topic_key;
COMMENT ON VIEW messages IS 'Kafka records for people: topic, partition, "offset", timestamp, key, value, headers (jsonb array of {key, value} with values as text), key_text/value_text (UTF-8, or \x-hex when not UTF-8).';
/* [jooq ignore stop] */
