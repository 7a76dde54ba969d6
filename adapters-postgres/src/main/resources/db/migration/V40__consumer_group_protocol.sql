-- Consumer groups of the consumer group protocol (KIP-848, group.protocol=consumer)
-- (docs/adr/0010-consumer-group-protocol.md). The broker keeps each group in memory; these tables
-- hold what a restart restores, rewritten in one transaction whenever a heartbeat or a timeout
-- changed the group (before the answer goes out). Committed offsets stay in consumer_offsets.

CREATE TABLE consumer_protocol_groups (
    group_id          varchar PRIMARY KEY,
    group_epoch       integer NOT NULL,
    assignment_epoch  integer NOT NULL,
    subscription_hash bigint  NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE consumer_protocol_groups IS 'Consumer groups (KIP-848): the group epoch and the epoch of the target assignment.';
COMMENT ON COLUMN consumer_protocol_groups.subscription_hash IS 'Hash of the subscribed topics (ids, names, partition counts) at the last epoch bump; a different one at a heartbeat bumps the group epoch.';

CREATE TABLE consumer_protocol_members (
    group_id               varchar NOT NULL REFERENCES consumer_protocol_groups (group_id) ON DELETE CASCADE,
    member_id              varchar NOT NULL,
    instance_id            text,
    rack_id                text,
    client_id              text    NOT NULL,
    client_host            text    NOT NULL,
    subscribed_topic_names text[]  NOT NULL,
    subscribed_topic_regex text,
    server_assignor        text,
    rebalance_timeout_ms   integer NOT NULL,
    member_epoch           integer NOT NULL,
    previous_member_epoch  integer NOT NULL,
    state                  varchar NOT NULL,
    PRIMARY KEY (group_id, member_id)
);
COMMENT ON TABLE consumer_protocol_members IS 'Members of consumer groups (KIP-848) with their epochs and subscriptions.';
COMMENT ON COLUMN consumer_protocol_members.member_epoch IS 'Epoch of the member''s current assignment; -2 for a static member that left temporarily.';
COMMENT ON COLUMN consumer_protocol_members.state IS 'STABLE, UNREVOKED_PARTITIONS (must give some up) or UNRELEASED_PARTITIONS (waits for others to).';

-- One row per member, partition and kind: assigned (the member may own it), revoking (it still owns it
-- and must give it up), target (the target assignment gives it to the member).
CREATE TABLE consumer_protocol_partitions (
    group_id  varchar NOT NULL,
    member_id varchar NOT NULL,
    kind      varchar NOT NULL CHECK (kind IN ('assigned', 'revoking', 'target')),
    topic_id  uuid    NOT NULL,
    partition integer NOT NULL,
    PRIMARY KEY (group_id, member_id, kind, topic_id, partition),
    FOREIGN KEY (group_id) REFERENCES consumer_protocol_groups (group_id) ON DELETE CASCADE
);
COMMENT ON TABLE consumer_protocol_partitions IS 'Current (assigned, revoking) and target partitions of consumer group members, by topic id.';

/* [jooq ignore start] */
-- Who consumes what, for people:
--   SELECT * FROM kafka.consumer_group_assignments WHERE group_id = 'billing' ORDER BY topic, partition;
CREATE VIEW consumer_group_assignments AS
SELECT p.group_id, t.name AS topic, p.partition, p.member_id, m.instance_id, m.member_epoch, p.kind
  FROM consumer_protocol_partitions p
  JOIN consumer_protocol_members m ON m.group_id = p.group_id AND m.member_id = p.member_id
  LEFT JOIN topics t ON t.topic_id = p.topic_id;
COMMENT ON VIEW consumer_group_assignments IS 'Partitions of consumer group (KIP-848) members: assigned, revoking and target.';
/* [jooq ignore stop] */
