package dev.pgkafka.adapter.postgres.group;

import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_OFFSETS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PENDING_TRANSACTIONAL_OFFSETS;
import static dev.pgkafka.adapter.postgres.schema.Tables.TOPICS;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep8;
import org.jooq.Record;
import org.jooq.Row2;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.schema.tables.records.ConsumerOffsetsRecord;
import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.application.port.out.OffsetStorePort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Committed offsets in {@code kafka.consumer_offsets}, one row per group and partition, keyed by the
 * topic's small key. The foreign key to {@code partitions} refuses offsets of partitions that do not
 * exist and removes a topic's offsets with the topic.
 */
public final class PostgresOffsetStore implements OffsetStorePort {
    private final Database db;
    private final TopicKeys topicKeys;

    public PostgresOffsetStore(Database db, TopicKeys topicKeys) {
        this.db = db;
        this.topicKeys = topicKeys;
    }

    @Override
    public void commit(String groupId, Map<TopicIdPartition, CommittedOffset> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        db.transaction("commit offsets of group " + groupId, (c, sql) -> {
            Map<UUID, Integer> keys = keys(sql, offsets.keySet());
            InsertValuesStep8<ConsumerOffsetsRecord, String, Integer, Integer, Long, Integer, byte[], Long, Long> insert =
                    sql.insertInto(CONSUMER_OFFSETS, CONSUMER_OFFSETS.GROUP_ID, CONSUMER_OFFSETS.TOPIC_KEY,
                            CONSUMER_OFFSETS.PARTITION, CONSUMER_OFFSETS.COMMITTED_OFFSET, CONSUMER_OFFSETS.LEADER_EPOCH,
                            CONSUMER_OFFSETS.METADATA, CONSUMER_OFFSETS.COMMIT_TIMESTAMP, CONSUMER_OFFSETS.EXPIRE_TIMESTAMP);
            for (Map.Entry<TopicIdPartition, CommittedOffset> e : offsets.entrySet()) {
                Integer key = keys.get(e.getKey().topicId());
                if (key == null) {
                    throw new StorageException("commit offsets of group " + groupId + " failed: no topic "
                            + e.getKey().topicId(), null);
                }
                CommittedOffset o = e.getValue();
                insert = insert.values(groupId, key, e.getKey().partition(), o.offset(), o.leaderEpoch(),
                        o.metadata().getBytes(StandardCharsets.UTF_8),
                        o.commitTimestamp(), o.expireTimestamp().isPresent() ? o.expireTimestamp().getAsLong() : null);
            }
            insert.onConflict(CONSUMER_OFFSETS.GROUP_ID, CONSUMER_OFFSETS.TOPIC_KEY, CONSUMER_OFFSETS.PARTITION)
                    .doUpdate()
                    .set(CONSUMER_OFFSETS.COMMITTED_OFFSET, DSL.excluded(CONSUMER_OFFSETS.COMMITTED_OFFSET))
                    .set(CONSUMER_OFFSETS.LEADER_EPOCH, DSL.excluded(CONSUMER_OFFSETS.LEADER_EPOCH))
                    .set(CONSUMER_OFFSETS.METADATA, DSL.excluded(CONSUMER_OFFSETS.METADATA))
                    .set(CONSUMER_OFFSETS.COMMIT_TIMESTAMP, DSL.excluded(CONSUMER_OFFSETS.COMMIT_TIMESTAMP))
                    .set(CONSUMER_OFFSETS.EXPIRE_TIMESTAMP, DSL.excluded(CONSUMER_OFFSETS.EXPIRE_TIMESTAMP))
                    .execute();
            return null;
        });
    }

    @Override
    public Map<TopicIdPartition, CommittedOffset> fetch(String groupId, Collection<TopicIdPartition> partitions) {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Set<TopicIdPartition> wanted = new HashSet<>(partitions);
        Map<TopicIdPartition, CommittedOffset> found = new HashMap<>();
        db.autoCommit("fetch offsets of group " + groupId, (c, sql) -> {
            Map<UUID, Integer> keys = keys(sql, partitions);
            if (keys.isEmpty()) {
                return null;
            }
            select(sql, CONSUMER_OFFSETS.GROUP_ID.eq(groupId)
                    .and(CONSUMER_OFFSETS.TOPIC_KEY.eq(DSL.any(DSL.val(keys.values().toArray(Integer[]::new),
                            SQLDataType.INTEGER.array())))))
                    .forEach((tp, offset) -> {
                        if (wanted.contains(tp)) {
                            found.put(tp, offset);
                        }
                    });
            return null;
        });
        return found;
    }

    @Override
    public Map<TopicIdPartition, CommittedOffset> fetchAll(String groupId) {
        return db.autoCommit("fetch offsets of group " + groupId,
                (c, sql) -> select(sql, CONSUMER_OFFSETS.GROUP_ID.eq(groupId)));
    }

    @Override
    public void delete(String groupId, Collection<TopicIdPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        db.transaction("delete offsets of group " + groupId, (c, sql) -> {
            Map<UUID, Integer> keys = keys(sql, partitions);
            List<Row2<Integer, Integer>> rows = new ArrayList<>();
            for (TopicIdPartition tp : partitions) {
                Integer key = keys.get(tp.topicId());
                if (key != null) {
                    rows.add(DSL.row(key, tp.partition()));
                }
            }
            if (!rows.isEmpty()) {
                sql.deleteFrom(CONSUMER_OFFSETS)
                        .where(CONSUMER_OFFSETS.GROUP_ID.eq(groupId))
                        .and(DSL.row(CONSUMER_OFFSETS.TOPIC_KEY, CONSUMER_OFFSETS.PARTITION).in(rows))
                        .execute();
            }
            return null;
        });
    }

    @Override
    public Set<String> groupsWithOffsets() {
        return db.autoCommit("list groups with offsets", (c, sql) -> new HashSet<>(
                sql.selectDistinct(CONSUMER_OFFSETS.GROUP_ID).from(CONSUMER_OFFSETS).fetch(CONSUMER_OFFSETS.GROUP_ID)));
    }

    @Override
    public void deleteTopic(UUID topicId) {
        db.transaction("delete offsets of topic " + topicId, (c, sql) -> {
            Integer key = topicKeys.resolve(sql, topicId);
            if (key != null) {
                sql.deleteFrom(CONSUMER_OFFSETS).where(CONSUMER_OFFSETS.TOPIC_KEY.eq(key)).execute();
            }
            return null;
        });
    }

    @Override
    public Set<TopicIdPartition> pendingTransactionalOffsets(String groupId) {
        return db.autoCommit("read pending transactional offsets of group " + groupId, (c, sql) -> {
            Set<TopicIdPartition> pending = new HashSet<>();
            sql.selectDistinct(TOPICS.TOPIC_ID, PENDING_TRANSACTIONAL_OFFSETS.PARTITION)
                    .from(PENDING_TRANSACTIONAL_OFFSETS)
                    .join(TOPICS).on(TOPICS.TOPIC_KEY.eq(PENDING_TRANSACTIONAL_OFFSETS.TOPIC_KEY))
                    .where(PENDING_TRANSACTIONAL_OFFSETS.GROUP_ID.eq(groupId))
                    .fetch()
                    .forEach(r -> pending.add(new TopicIdPartition(r.value1(), r.value2())));
            return pending;
        });
    }

    @Override
    public void commitPending(String groupId, long producerId, Map<TopicIdPartition, CommittedOffset> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        db.transaction("commit transactional offsets of group " + groupId, (c, sql) -> {
            Map<UUID, Integer> keys = keys(sql, offsets.keySet());
            var insert = sql.insertInto(PENDING_TRANSACTIONAL_OFFSETS, PENDING_TRANSACTIONAL_OFFSETS.PRODUCER_ID,
                    PENDING_TRANSACTIONAL_OFFSETS.GROUP_ID, PENDING_TRANSACTIONAL_OFFSETS.TOPIC_KEY,
                    PENDING_TRANSACTIONAL_OFFSETS.PARTITION, PENDING_TRANSACTIONAL_OFFSETS.COMMITTED_OFFSET,
                    PENDING_TRANSACTIONAL_OFFSETS.LEADER_EPOCH, PENDING_TRANSACTIONAL_OFFSETS.METADATA,
                    PENDING_TRANSACTIONAL_OFFSETS.COMMIT_TIMESTAMP);
            for (Map.Entry<TopicIdPartition, CommittedOffset> e : offsets.entrySet()) {
                Integer key = keys.get(e.getKey().topicId());
                if (key == null) {
                    throw new StorageException("commit transactional offsets of group " + groupId + " failed: no topic "
                            + e.getKey().topicId(), null);
                }
                CommittedOffset o = e.getValue();
                insert = insert.values(producerId, groupId, key, e.getKey().partition(), o.offset(), o.leaderEpoch(),
                        o.metadata().getBytes(StandardCharsets.UTF_8), o.commitTimestamp());
            }
            insert.onConflict(PENDING_TRANSACTIONAL_OFFSETS.PRODUCER_ID, PENDING_TRANSACTIONAL_OFFSETS.GROUP_ID,
                            PENDING_TRANSACTIONAL_OFFSETS.TOPIC_KEY, PENDING_TRANSACTIONAL_OFFSETS.PARTITION)
                    .doUpdate()
                    .set(PENDING_TRANSACTIONAL_OFFSETS.COMMITTED_OFFSET, DSL.excluded(PENDING_TRANSACTIONAL_OFFSETS.COMMITTED_OFFSET))
                    .set(PENDING_TRANSACTIONAL_OFFSETS.LEADER_EPOCH, DSL.excluded(PENDING_TRANSACTIONAL_OFFSETS.LEADER_EPOCH))
                    .set(PENDING_TRANSACTIONAL_OFFSETS.METADATA, DSL.excluded(PENDING_TRANSACTIONAL_OFFSETS.METADATA))
                    .set(PENDING_TRANSACTIONAL_OFFSETS.COMMIT_TIMESTAMP, DSL.excluded(PENDING_TRANSACTIONAL_OFFSETS.COMMIT_TIMESTAMP))
                    .execute();
            return null;
        });
    }

    private Map<UUID, Integer> keys(DSLContext sql, Collection<TopicIdPartition> partitions) {
        return topicKeys.resolve(sql, partitions.stream().map(TopicIdPartition::topicId).distinct().toList());
    }

    private static Map<TopicIdPartition, CommittedOffset> select(DSLContext sql, Condition condition) {
        Map<TopicIdPartition, CommittedOffset> offsets = new HashMap<>();
        for (Record r : sql.select(TOPICS.TOPIC_ID, CONSUMER_OFFSETS.PARTITION, CONSUMER_OFFSETS.COMMITTED_OFFSET,
                        CONSUMER_OFFSETS.LEADER_EPOCH, CONSUMER_OFFSETS.METADATA, CONSUMER_OFFSETS.COMMIT_TIMESTAMP,
                        CONSUMER_OFFSETS.EXPIRE_TIMESTAMP)
                .from(CONSUMER_OFFSETS)
                .join(TOPICS).on(TOPICS.TOPIC_KEY.eq(CONSUMER_OFFSETS.TOPIC_KEY))
                .where(condition)
                .fetch()) {
            Long expire = r.get(CONSUMER_OFFSETS.EXPIRE_TIMESTAMP);
            offsets.put(new TopicIdPartition(r.get(TOPICS.TOPIC_ID), r.get(CONSUMER_OFFSETS.PARTITION)),
                    new CommittedOffset(r.get(CONSUMER_OFFSETS.COMMITTED_OFFSET), r.get(CONSUMER_OFFSETS.LEADER_EPOCH),
                            new String(r.get(CONSUMER_OFFSETS.METADATA), StandardCharsets.UTF_8), r.get(CONSUMER_OFFSETS.COMMIT_TIMESTAMP),
                            expire == null ? OptionalLong.empty() : OptionalLong.of(expire)));
        }
        return offsets;
    }
}
