package dev.pgkafka.adapter.postgres.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Partitions of existing topics as (topic key, partition) pairs, in the order given, and as a
 * derived table {@code q(topic_key, partition, ord)} of two bound arrays: one statement with the
 * same SQL text for any number of partitions, joined to the tables by their primary keys.
 */
final class PartitionKeys {
    private final List<TopicIdPartition> partitions = new ArrayList<>();
    private final List<Integer> topicKeys = new ArrayList<>();
    private final Map<Long, TopicIdPartition> byKey = new HashMap<>();

    /** The given partitions whose topic exists (partitions of unknown topics are left out). */
    static PartitionKeys of(DSLContext sql, TopicKeys keys, Collection<TopicIdPartition> partitions) {
        List<UUID> ids = partitions.stream().map(TopicIdPartition::topicId).distinct().toList();
        Map<UUID, Integer> resolved = keys.resolve(sql, ids);
        PartitionKeys pk = new PartitionKeys();
        for (TopicIdPartition tp : partitions) {
            Integer key = resolved.get(tp.topicId());
            if (key != null && pk.byKey.putIfAbsent(pack(key, tp.partition()), tp) == null) {
                pk.partitions.add(tp);
                pk.topicKeys.add(key);
            }
        }
        return pk;
    }

    boolean isEmpty() {
        return partitions.isEmpty();
    }

    int topicKey(int index) {
        return topicKeys.get(index);
    }

    /** The partition a result row names. */
    TopicIdPartition partition(int topicKey, int partition) {
        return byKey.get(pack(topicKey, partition));
    }

    Table<Record> table() {
        return Unnest.withOrdinality("q", new String[]{"topic_key", "partition", "ord"},
                DSL.val(topicKeys.toArray(Integer[]::new), SQLDataType.INTEGER.array()),
                DSL.val(partitions.stream().map(TopicIdPartition::partition).toArray(Integer[]::new),
                        SQLDataType.INTEGER.array()));
    }

    static final Field<Integer> TOPIC_KEY = DSL.field(DSL.name("q", "topic_key"), SQLDataType.INTEGER);
    static final Field<Integer> PARTITION = DSL.field(DSL.name("q", "partition"), SQLDataType.INTEGER);
    static final Field<Long> ORD = DSL.field(DSL.name("q", "ord"), SQLDataType.BIGINT);

    private static long pack(int topicKey, int partition) {
        return ((long) topicKey << 32) | (partition & 0xffffffffL);
    }
}
