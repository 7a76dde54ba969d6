package dev.pgkafka.adapter.postgres.group;

import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_GROUPS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_GROUP_MEMBERS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_OFFSETS;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jooq.InsertValuesStep10;
import org.jooq.Record;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.schema.tables.records.ConsumerGroupMembersRecord;
import dev.pgkafka.application.port.out.GroupStorePort;
import dev.pgkafka.domain.group.GroupSnapshot;

/** Groups in {@code kafka.consumer_groups}, their members in {@code kafka.consumer_group_members}. */
public final class PostgresGroupStore implements GroupStorePort {
    private final Database db;

    public PostgresGroupStore(Database db) {
        this.db = db;
    }

    @Override
    public List<GroupSnapshot> loadAll() {
        return db.readOnly("load consumer groups", (c, sql) -> {
            Map<String, List<GroupSnapshot.Member>> members = new HashMap<>();
            sql.selectFrom(CONSUMER_GROUP_MEMBERS)
                    .orderBy(CONSUMER_GROUP_MEMBERS.GROUP_ID, CONSUMER_GROUP_MEMBERS.MEMBER_ORDER)
                    .fetch()
                    .forEach(m -> members.computeIfAbsent(m.getGroupId(), g -> new ArrayList<>()).add(
                            new GroupSnapshot.Member(m.getMemberId(), m.getGroupInstanceId(), m.getClientId(),
                                    m.getClientHost(), m.getSessionTimeoutMs(), m.getRebalanceTimeoutMs(),
                                    m.getSubscription(), m.getAssignment())));
            List<GroupSnapshot> groups = new ArrayList<>();
            for (Record g : sql.select(CONSUMER_GROUPS.GROUP_ID, CONSUMER_GROUPS.PROTOCOL_TYPE, CONSUMER_GROUPS.PROTOCOL_NAME,
                            CONSUMER_GROUPS.GENERATION, CONSUMER_GROUPS.LEADER_ID, CONSUMER_GROUPS.STATE_TIMESTAMP)
                    .from(CONSUMER_GROUPS)
                    .orderBy(CONSUMER_GROUPS.GROUP_ID)
                    .fetch()) {
                String id = g.get(CONSUMER_GROUPS.GROUP_ID);
                groups.add(new GroupSnapshot(id, g.get(CONSUMER_GROUPS.PROTOCOL_TYPE), g.get(CONSUMER_GROUPS.PROTOCOL_NAME),
                        g.get(CONSUMER_GROUPS.GENERATION), g.get(CONSUMER_GROUPS.LEADER_ID),
                        g.get(CONSUMER_GROUPS.STATE_TIMESTAMP), members.getOrDefault(id, List.of())));
            }
            return groups;
        });
    }

    @Override
    public void save(GroupSnapshot s) {
        db.transaction("save consumer group " + s.groupId(), (c, sql) -> {
            sql.insertInto(CONSUMER_GROUPS, CONSUMER_GROUPS.GROUP_ID, CONSUMER_GROUPS.PROTOCOL_TYPE,
                            CONSUMER_GROUPS.PROTOCOL_NAME, CONSUMER_GROUPS.GENERATION, CONSUMER_GROUPS.LEADER_ID,
                            CONSUMER_GROUPS.STATE_TIMESTAMP)
                    .values(s.groupId(), s.protocolType(), s.protocolName(), s.generationId(), s.leaderId(),
                            s.stateTimestamp())
                    .onConflict(CONSUMER_GROUPS.GROUP_ID)
                    .doUpdate()
                    .set(CONSUMER_GROUPS.PROTOCOL_TYPE, s.protocolType())
                    .set(CONSUMER_GROUPS.PROTOCOL_NAME, s.protocolName())
                    .set(CONSUMER_GROUPS.GENERATION, s.generationId())
                    .set(CONSUMER_GROUPS.LEADER_ID, s.leaderId())
                    .set(CONSUMER_GROUPS.STATE_TIMESTAMP, s.stateTimestamp())
                    .set(CONSUMER_GROUPS.UPDATED_AT, org.jooq.impl.DSL.currentOffsetDateTime())
                    .execute();
            sql.deleteFrom(CONSUMER_GROUP_MEMBERS).where(CONSUMER_GROUP_MEMBERS.GROUP_ID.eq(s.groupId())).execute();
            if (!s.members().isEmpty()) {
                InsertValuesStep10<ConsumerGroupMembersRecord, String, Integer, String, String, String, String, Integer,
                        Integer, byte[], byte[]> insert = sql.insertInto(CONSUMER_GROUP_MEMBERS,
                        CONSUMER_GROUP_MEMBERS.GROUP_ID, CONSUMER_GROUP_MEMBERS.MEMBER_ORDER,
                        CONSUMER_GROUP_MEMBERS.MEMBER_ID, CONSUMER_GROUP_MEMBERS.GROUP_INSTANCE_ID,
                        CONSUMER_GROUP_MEMBERS.CLIENT_ID, CONSUMER_GROUP_MEMBERS.CLIENT_HOST,
                        CONSUMER_GROUP_MEMBERS.SESSION_TIMEOUT_MS, CONSUMER_GROUP_MEMBERS.REBALANCE_TIMEOUT_MS,
                        CONSUMER_GROUP_MEMBERS.SUBSCRIPTION, CONSUMER_GROUP_MEMBERS.ASSIGNMENT);
                int order = 0;
                for (GroupSnapshot.Member m : s.members()) {
                    insert = insert.values(s.groupId(), order++, m.memberId(), m.groupInstanceId(), m.clientId(),
                            m.clientHost(), m.sessionTimeoutMs(), m.rebalanceTimeoutMs(), m.subscription(), m.assignment());
                }
                insert.execute();
            }
            return null;
        });
    }

    @Override
    public void delete(String groupId) {
        db.transaction("delete consumer group " + groupId, (c, sql) -> {
            sql.deleteFrom(CONSUMER_OFFSETS).where(CONSUMER_OFFSETS.GROUP_ID.eq(groupId)).execute();
            // members go with the group (ON DELETE CASCADE)
            sql.deleteFrom(CONSUMER_GROUPS).where(CONSUMER_GROUPS.GROUP_ID.eq(groupId)).execute();
            return null;
        });
    }
}
