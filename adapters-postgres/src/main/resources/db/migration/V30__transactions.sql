-- Kafka transactions (docs/adr/0011-transactions.md): the coordinator's state per transactional id,
-- the partitions of its current transaction, offsets committed through a transaction until it ends,
-- and the aborted-transaction index read_committed fetches use. Markers themselves are rows of
-- records (control batches), and partitions.last_stable_offset is kept by appends and markers.

CREATE TABLE transactions (
    transactional_id      varchar  PRIMARY KEY,
    producer_id           bigint   NOT NULL,
    producer_epoch        smallint NOT NULL,
    timeout_ms            integer  NOT NULL,
    state                 varchar  NOT NULL,
    groups                varchar[] NOT NULL,
    start_timestamp       bigint   NOT NULL,
    last_update_timestamp bigint   NOT NULL
);
CREATE INDEX transactions_producer ON transactions (producer_id);
COMMENT ON TABLE transactions IS 'Transaction coordinator state per transactional id (Kafka''s __transaction_state): producer id and epoch, timeout, state (Kafka''s names: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort).';
COMMENT ON COLUMN transactions.groups IS 'Consumer groups whose offsets the current transaction commits (AddOffsetsToTxn).';
COMMENT ON COLUMN transactions.start_timestamp IS 'When the current transaction started (epoch ms), -1 when none is open; its timeout counts from here.';

CREATE TABLE transaction_partitions (
    transactional_id varchar NOT NULL REFERENCES transactions (transactional_id) ON DELETE CASCADE,
    topic_key        integer NOT NULL,
    partition        integer NOT NULL,
    PRIMARY KEY (transactional_id, topic_key, partition),
    FOREIGN KEY (topic_key, partition) REFERENCES partitions (topic_key, partition) ON DELETE CASCADE
);
COMMENT ON TABLE transaction_partitions IS 'Partitions of each transactional id''s current transaction (AddPartitionsToTxn): they get its marker.';

-- TxnOffsetCommit: offsets wait here, per producer, until the transaction's marker moves them to
-- consumer_offsets (commit) or deletes them (abort), in the marker's own PostgreSQL transaction.
CREATE TABLE pending_transactional_offsets (
    producer_id      bigint  NOT NULL,
    group_id         varchar NOT NULL,
    topic_key        integer NOT NULL,
    partition        integer NOT NULL,
    committed_offset bigint  NOT NULL,
    leader_epoch     integer NOT NULL,
    metadata         bytea   NOT NULL,
    commit_timestamp bigint  NOT NULL,
    PRIMARY KEY (producer_id, group_id, topic_key, partition),
    FOREIGN KEY (topic_key, partition) REFERENCES partitions (topic_key, partition) ON DELETE CASCADE
);
CREATE INDEX pending_transactional_offsets_group ON pending_transactional_offsets (group_id);
COMMENT ON TABLE pending_transactional_offsets IS 'Offsets committed in an open transaction; OffsetFetch with require_stable answers UNSTABLE_OFFSET_COMMIT for them.';

-- Kafka's .txnindex: one entry per aborted transaction per partition, its first offset and the offset
-- of its abort marker. A read_committed fetch gets the entries that overlap the records it returns.
CREATE TABLE aborted_transactions (
    topic_key    integer NOT NULL,
    partition    integer NOT NULL,
    last_offset  bigint  NOT NULL,
    first_offset bigint  NOT NULL,
    producer_id  bigint  NOT NULL,
    PRIMARY KEY (topic_key, partition, last_offset),
    FOREIGN KEY (topic_key, partition) REFERENCES partitions (topic_key, partition) ON DELETE CASCADE
);
COMMENT ON TABLE aborted_transactions IS 'Aborted transactions per partition: producer, first offset, offset of the abort marker.';
