-- Consumer groups of Kafka's classic protocol and the offsets groups commit
-- (docs/adr/0007-consumer-groups.md). Group state lives in the broker's memory; these tables hold
-- what a restart restores, written where Kafka writes its GroupMetadata and OffsetCommit records.
-- Keys are varchar without a length (text in PostgreSQL; jOOQ's DDL simulation cannot index text).

CREATE TABLE consumer_groups (
    group_id        varchar PRIMARY KEY,
    protocol_type   text,
    protocol_name   text,
    generation      integer NOT NULL,
    leader_id       text,
    state_timestamp bigint  NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE consumer_groups IS 'Classic consumer groups as last persisted: a group with members is restored Stable, without members Empty.';
COMMENT ON COLUMN consumer_groups.protocol_type IS 'Kafka protocol type (consumer for Kafka consumers); NULL for a group that never had a member.';
COMMENT ON COLUMN consumer_groups.protocol_name IS 'The protocol (assignor) of the persisted generation, e.g. range; NULL when the group has no members.';
COMMENT ON COLUMN consumer_groups.state_timestamp IS 'When the group entered its state, epoch milliseconds (offset retention of empty groups counts from it).';

CREATE TABLE consumer_group_members (
    group_id             varchar NOT NULL REFERENCES consumer_groups (group_id) ON DELETE CASCADE,
    member_order         integer NOT NULL,
    member_id            varchar NOT NULL,
    group_instance_id    text,
    client_id            text    NOT NULL,
    client_host          text    NOT NULL,
    session_timeout_ms   integer NOT NULL,
    rebalance_timeout_ms integer NOT NULL,
    subscription         bytea   NOT NULL,
    assignment           bytea   NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
COMMENT ON TABLE consumer_group_members IS 'Members of the persisted generation of each group, with their protocol metadata and the leader''s assignment.';
COMMENT ON COLUMN consumer_group_members.group_instance_id IS 'group.instance.id of a static member (KIP-345); NULL for dynamic members.';

-- One row per (group, partition). The foreign key removes a topic's offsets with its partitions.
CREATE TABLE consumer_offsets (
    group_id         varchar NOT NULL,
    topic_key        integer NOT NULL,
    partition        integer NOT NULL,
    committed_offset bigint  NOT NULL,
    leader_epoch     integer NOT NULL,
    metadata         bytea   NOT NULL,
    commit_timestamp bigint  NOT NULL,
    expire_timestamp bigint,
    PRIMARY KEY (group_id, topic_key, partition),
    FOREIGN KEY (topic_key, partition) REFERENCES partitions (topic_key, partition) ON DELETE CASCADE
);
CREATE INDEX consumer_offsets_partition ON consumer_offsets (topic_key, partition);
COMMENT ON TABLE consumer_offsets IS 'Offsets committed by consumer groups. Read them with lag through the view consumer_group_lag.';
COMMENT ON COLUMN consumer_offsets.leader_epoch IS 'Leader epoch the consumer saw, -1 when none.';
COMMENT ON COLUMN consumer_offsets.metadata IS 'The client''s metadata string as UTF-8 (bytea: Java strings may hold NUL, PostgreSQL text may not).';
COMMENT ON COLUMN consumer_offsets.expire_timestamp IS 'Explicit expiry (OffsetCommit v2-v4 retention time), epoch milliseconds; NULL: the broker''s offsets.retention.minutes applies.';

/* [jooq ignore start] */
-- Committed offsets with lag, for people:
--   SELECT * FROM kafka.consumer_group_lag WHERE group_id = 'billing' ORDER BY topic, partition;
CREATE VIEW consumer_group_lag AS
SELECT o.group_id                                                            AS group_id,
       t.name                                                                AS topic,
       o.partition                                                           AS partition,
       o.committed_offset                                                    AS committed_offset,
       p.next_offset                                                         AS log_end_offset,
       greatest(p.next_offset - greatest(o.committed_offset, p.log_start_offset), 0) AS lag,
       bytes_to_text(o.metadata)                                             AS metadata,
       timestamptz 'epoch' + o.commit_timestamp * interval '1 millisecond'   AS committed_at
  FROM consumer_offsets o
  JOIN topics t ON t.topic_key = o.topic_key
  JOIN partitions p ON p.topic_key = o.topic_key AND p.partition = o.partition;
COMMENT ON VIEW consumer_group_lag IS 'Committed offsets per group and partition with the log end offset and the lag.';
/* [jooq ignore stop] */
