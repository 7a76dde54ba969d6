package dev.pgkafka.adapter.postgres.group;

import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_GROUPS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_OFFSETS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_PROTOCOL_GROUPS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_PROTOCOL_MEMBERS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_PROTOCOL_PARTITIONS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.InsertValuesStep13;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.log.Unnest;
import dev.pgkafka.adapter.postgres.schema.tables.records.ConsumerProtocolMembersRecord;
import dev.pgkafka.application.port.out.ConsumerGroupStorePort;
import dev.pgkafka.domain.group.consumer.ConsumerGroupChanges;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.group.consumer.ConsumerGroupSnapshot;
import dev.pgkafka.domain.group.consumer.MemberState;

/**
 * Consumer groups (KIP-848) in {@code kafka.consumer_protocol_groups}, their members in
 * {@code consumer_protocol_members} and every member's assigned, revoking and target partitions in
 * {@code consumer_protocol_partitions}. A save rewrites the group in one transaction, an update only the
 * members and the target that changed: members with one multi-row insert, partitions with one insert from
 * {@code unnest} of bound arrays.
 */
public final class PostgresConsumerGroupStore implements ConsumerGroupStorePort {
    private static final String ASSIGNED = "assigned";
    private static final String REVOKING = "revoking";
    private static final String TARGET = "target";

    private final Database db;

    public PostgresConsumerGroupStore(Database db) {
        this.db = db;
    }

    @Override
    public List<ConsumerGroupSnapshot> loadAll() {
        return db.readOnly("load consumer groups (KIP-848)", (c, sql) -> {
            // group → member → kind → topic → partitions
            Map<String, Map<String, Map<String, Map<UUID, Set<Integer>>>>> partitions = new HashMap<>();
            for (Record r : sql.select(CONSUMER_PROTOCOL_PARTITIONS.GROUP_ID, CONSUMER_PROTOCOL_PARTITIONS.MEMBER_ID,
                            CONSUMER_PROTOCOL_PARTITIONS.KIND, CONSUMER_PROTOCOL_PARTITIONS.TOPIC_ID,
                            CONSUMER_PROTOCOL_PARTITIONS.PARTITION)
                    .from(CONSUMER_PROTOCOL_PARTITIONS)
                    .fetch()) {
                partitions.computeIfAbsent(r.get(CONSUMER_PROTOCOL_PARTITIONS.GROUP_ID), g -> new HashMap<>())
                        .computeIfAbsent(r.get(CONSUMER_PROTOCOL_PARTITIONS.MEMBER_ID), m -> new HashMap<>())
                        .computeIfAbsent(r.get(CONSUMER_PROTOCOL_PARTITIONS.KIND), k -> new TreeMap<>())
                        .computeIfAbsent(r.get(CONSUMER_PROTOCOL_PARTITIONS.TOPIC_ID), t -> new TreeSet<>())
                        .add(r.get(CONSUMER_PROTOCOL_PARTITIONS.PARTITION));
            }
            Map<String, List<ConsumerGroupMember>> members = new HashMap<>();
            for (ConsumerProtocolMembersRecord m : sql.selectFrom(CONSUMER_PROTOCOL_MEMBERS)
                    .orderBy(CONSUMER_PROTOCOL_MEMBERS.GROUP_ID, CONSUMER_PROTOCOL_MEMBERS.MEMBER_ID)
                    .fetch()) {
                Map<String, Map<UUID, Set<Integer>>> kinds = partitions.getOrDefault(m.getGroupId(), Map.of())
                        .getOrDefault(m.getMemberId(), Map.of());
                members.computeIfAbsent(m.getGroupId(), g -> new ArrayList<>()).add(new ConsumerGroupMember(
                        m.getMemberId(), m.getInstanceId(), m.getRackId(), m.getClientId(), m.getClientHost(),
                        Arrays.asList(m.getSubscribedTopicNames()), m.getSubscribedTopicRegex(), m.getServerAssignor(),
                        m.getRebalanceTimeoutMs(), m.getMemberEpoch(), m.getPreviousMemberEpoch(),
                        MemberState.valueOf(m.getState()), kinds.getOrDefault(ASSIGNED, Map.of()),
                        kinds.getOrDefault(REVOKING, Map.of())));
            }
            List<ConsumerGroupSnapshot> groups = new ArrayList<>();
            for (Record g : sql.select(CONSUMER_PROTOCOL_GROUPS.GROUP_ID, CONSUMER_PROTOCOL_GROUPS.GROUP_EPOCH,
                            CONSUMER_PROTOCOL_GROUPS.ASSIGNMENT_EPOCH, CONSUMER_PROTOCOL_GROUPS.SUBSCRIPTION_HASH)
                    .from(CONSUMER_PROTOCOL_GROUPS)
                    .orderBy(CONSUMER_PROTOCOL_GROUPS.GROUP_ID)
                    .fetch()) {
                String id = g.get(CONSUMER_PROTOCOL_GROUPS.GROUP_ID);
                Map<String, Map<UUID, Set<Integer>>> target = new TreeMap<>();
                partitions.getOrDefault(id, Map.of()).forEach((memberId, kinds) -> {
                    Map<UUID, Set<Integer>> t = kinds.get(TARGET);
                    if (t != null) {
                        target.put(memberId, t);
                    }
                });
                groups.add(new ConsumerGroupSnapshot(id, g.get(CONSUMER_PROTOCOL_GROUPS.GROUP_EPOCH),
                        g.get(CONSUMER_PROTOCOL_GROUPS.ASSIGNMENT_EPOCH), g.get(CONSUMER_PROTOCOL_GROUPS.SUBSCRIPTION_HASH),
                        members.getOrDefault(id, List.of()), target));
            }
            return groups;
        });
    }

    @Override
    public void save(ConsumerGroupSnapshot s) {
        db.transaction("save consumer group " + s.groupId(), (c, sql) -> {
            // the id may have belonged to an empty classic group until now; its offsets stay
            sql.deleteFrom(CONSUMER_GROUPS).where(CONSUMER_GROUPS.GROUP_ID.eq(s.groupId())).execute();
            upsertGroup(sql, s.groupId(), s.groupEpoch(), s.assignmentEpoch(), s.subscriptionHash());
            sql.deleteFrom(CONSUMER_PROTOCOL_PARTITIONS).where(CONSUMER_PROTOCOL_PARTITIONS.GROUP_ID.eq(s.groupId())).execute();
            sql.deleteFrom(CONSUMER_PROTOCOL_MEMBERS).where(CONSUMER_PROTOCOL_MEMBERS.GROUP_ID.eq(s.groupId())).execute();
            insertMembers(sql, s.groupId(), s.members());
            insertPartitions(sql, s.groupId(), s.members(), s.targetAssignment());
            return null;
        });
    }

    @Override
    public void update(ConsumerGroupChanges changes) {
        String groupId = changes.groupId();
        db.transaction("update consumer group " + groupId, (c, sql) -> {
            upsertGroup(sql, groupId, changes.groupEpoch(), changes.assignmentEpoch(), changes.subscriptionHash());
            Set<String> touched = new TreeSet<>(changes.removed());
            changes.upserted().forEach(m -> touched.add(m.memberId()));
            if (!touched.isEmpty()) {
                String[] ids = touched.toArray(String[]::new);
                sql.deleteFrom(CONSUMER_PROTOCOL_PARTITIONS)
                        .where(CONSUMER_PROTOCOL_PARTITIONS.GROUP_ID.eq(groupId))
                        .and(CONSUMER_PROTOCOL_PARTITIONS.MEMBER_ID.eq(DSL.any(ids)))
                        .and(CONSUMER_PROTOCOL_PARTITIONS.KIND.in(ASSIGNED, REVOKING))
                        .execute();
                sql.deleteFrom(CONSUMER_PROTOCOL_MEMBERS)
                        .where(CONSUMER_PROTOCOL_MEMBERS.GROUP_ID.eq(groupId))
                        .and(CONSUMER_PROTOCOL_MEMBERS.MEMBER_ID.eq(DSL.any(ids)))
                        .execute();
            }
            if (changes.targetAssignment() != null) {
                sql.deleteFrom(CONSUMER_PROTOCOL_PARTITIONS)
                        .where(CONSUMER_PROTOCOL_PARTITIONS.GROUP_ID.eq(groupId))
                        .and(CONSUMER_PROTOCOL_PARTITIONS.KIND.eq(TARGET))
                        .execute();
            }
            insertMembers(sql, groupId, changes.upserted());
            insertPartitions(sql, groupId, changes.upserted(),
                    changes.targetAssignment() == null ? Map.of() : changes.targetAssignment());
            return null;
        });
    }

    private static void upsertGroup(DSLContext sql, String groupId, int groupEpoch, int assignmentEpoch, long hash) {
        sql.insertInto(CONSUMER_PROTOCOL_GROUPS, CONSUMER_PROTOCOL_GROUPS.GROUP_ID, CONSUMER_PROTOCOL_GROUPS.GROUP_EPOCH,
                        CONSUMER_PROTOCOL_GROUPS.ASSIGNMENT_EPOCH, CONSUMER_PROTOCOL_GROUPS.SUBSCRIPTION_HASH)
                .values(groupId, groupEpoch, assignmentEpoch, hash)
                .onConflict(CONSUMER_PROTOCOL_GROUPS.GROUP_ID)
                .doUpdate()
                .set(CONSUMER_PROTOCOL_GROUPS.GROUP_EPOCH, groupEpoch)
                .set(CONSUMER_PROTOCOL_GROUPS.ASSIGNMENT_EPOCH, assignmentEpoch)
                .set(CONSUMER_PROTOCOL_GROUPS.SUBSCRIPTION_HASH, hash)
                .set(CONSUMER_PROTOCOL_GROUPS.UPDATED_AT, DSL.currentOffsetDateTime())
                .execute();
    }

    private static void insertMembers(DSLContext sql, String groupId, List<ConsumerGroupMember> members) {
        if (members.isEmpty()) {
            return;
        }
        InsertValuesStep13<ConsumerProtocolMembersRecord, String, String, String, String, String, String, String[], String,
                String, Integer, Integer, Integer, String> insert = sql.insertInto(CONSUMER_PROTOCOL_MEMBERS,
                CONSUMER_PROTOCOL_MEMBERS.GROUP_ID, CONSUMER_PROTOCOL_MEMBERS.MEMBER_ID, CONSUMER_PROTOCOL_MEMBERS.INSTANCE_ID,
                CONSUMER_PROTOCOL_MEMBERS.RACK_ID, CONSUMER_PROTOCOL_MEMBERS.CLIENT_ID, CONSUMER_PROTOCOL_MEMBERS.CLIENT_HOST,
                CONSUMER_PROTOCOL_MEMBERS.SUBSCRIBED_TOPIC_NAMES, CONSUMER_PROTOCOL_MEMBERS.SUBSCRIBED_TOPIC_REGEX,
                CONSUMER_PROTOCOL_MEMBERS.SERVER_ASSIGNOR, CONSUMER_PROTOCOL_MEMBERS.REBALANCE_TIMEOUT_MS,
                CONSUMER_PROTOCOL_MEMBERS.MEMBER_EPOCH, CONSUMER_PROTOCOL_MEMBERS.PREVIOUS_MEMBER_EPOCH,
                CONSUMER_PROTOCOL_MEMBERS.STATE);
        for (ConsumerGroupMember m : members) {
            insert = insert.values(groupId, m.memberId(), m.instanceId(), m.rackId(), m.clientId(), m.clientHost(),
                    m.subscribedTopicNames().toArray(String[]::new), m.subscribedTopicRegex(), m.serverAssignor(),
                    m.rebalanceTimeoutMs(), m.memberEpoch(), m.previousMemberEpoch(), m.state().name());
        }
        insert.execute();
    }

    /** The assigned and revoking partitions of {@code members} and the given target rows, in one statement. */
    private static void insertPartitions(DSLContext sql, String groupId, List<ConsumerGroupMember> members,
                                         Map<String, Map<UUID, Set<Integer>>> targetAssignment) {
        List<String> memberIds = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<UUID> topicIds = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (ConsumerGroupMember m : members) {
            add(m.memberId(), ASSIGNED, m.assignedPartitions(), memberIds, kinds, topicIds, numbers);
            add(m.memberId(), REVOKING, m.partitionsPendingRevocation(), memberIds, kinds, topicIds, numbers);
        }
        targetAssignment.forEach((memberId, target) -> add(memberId, TARGET, target, memberIds, kinds, topicIds, numbers));
        if (memberIds.isEmpty()) {
            return;
        }
        Table<Record> rows = Unnest.of("p", new String[]{"member_id", "kind", "topic_id", "partition"},
                DSL.val(memberIds.toArray(String[]::new), SQLDataType.VARCHAR.array()),
                DSL.val(kinds.toArray(String[]::new), SQLDataType.VARCHAR.array()),
                DSL.val(topicIds.toArray(UUID[]::new), SQLDataType.UUID.array()),
                DSL.val(numbers.toArray(Integer[]::new), SQLDataType.INTEGER.array()));
        sql.insertInto(CONSUMER_PROTOCOL_PARTITIONS, CONSUMER_PROTOCOL_PARTITIONS.GROUP_ID,
                        CONSUMER_PROTOCOL_PARTITIONS.MEMBER_ID, CONSUMER_PROTOCOL_PARTITIONS.KIND,
                        CONSUMER_PROTOCOL_PARTITIONS.TOPIC_ID, CONSUMER_PROTOCOL_PARTITIONS.PARTITION)
                .select(DSL.select(DSL.val(groupId),
                                DSL.field(DSL.name("p", "member_id"), SQLDataType.VARCHAR),
                                DSL.field(DSL.name("p", "kind"), SQLDataType.VARCHAR),
                                DSL.field(DSL.name("p", "topic_id"), SQLDataType.UUID),
                                DSL.field(DSL.name("p", "partition"), SQLDataType.INTEGER))
                        .from(rows))
                .execute();
    }

    private static void add(String memberId, String kind, Map<UUID, Set<Integer>> partitions, List<String> memberIds,
                            List<String> kinds, List<UUID> topicIds, List<Integer> numbers) {
        partitions.forEach((topicId, set) -> set.forEach(p -> {
            memberIds.add(memberId);
            kinds.add(kind);
            topicIds.add(topicId);
            numbers.add(p);
        }));
    }

    @Override
    public void delete(String groupId, boolean withOffsets) {
        db.transaction("delete consumer group " + groupId, (c, sql) -> {
            if (withOffsets) {
                sql.deleteFrom(CONSUMER_OFFSETS).where(CONSUMER_OFFSETS.GROUP_ID.eq(groupId)).execute();
            }
            // members and partitions go with the group (ON DELETE CASCADE)
            sql.deleteFrom(CONSUMER_PROTOCOL_GROUPS).where(CONSUMER_PROTOCOL_GROUPS.GROUP_ID.eq(groupId)).execute();
            return null;
        });
    }
}
