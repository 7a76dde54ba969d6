package dev.pgkafka.adapter.postgres.log;

import java.util.Collection;
import java.util.UUID;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * A list of partitions as a derived table {@code q(topic_id, partition, ord)} made of two bound
 * arrays: one statement (with the same SQL text) for any number of partitions.
 */
final class PartitionList {
    final Table<Record> table;
    final Field<UUID> topicId;
    final Field<Integer> partition;
    final Field<Long> ord;

    PartitionList(Collection<TopicIdPartition> partitions) {
        UUID[] ids = new UUID[partitions.size()];
        Integer[] numbers = new Integer[partitions.size()];
        int i = 0;
        for (TopicIdPartition tp : partitions) {
            ids[i] = tp.topicId();
            numbers[i++] = tp.partition();
        }
        table = Unnest.withOrdinality("q", new String[]{"topic_id", "partition", "ord"},
                DSL.val(ids, SQLDataType.UUID.array()), DSL.val(numbers, SQLDataType.INTEGER.array()));
        topicId = DSL.field(DSL.name("q", "topic_id"), SQLDataType.UUID);
        partition = DSL.field(DSL.name("q", "partition"), SQLDataType.INTEGER);
        ord = DSL.field(DSL.name("q", "ord"), SQLDataType.BIGINT);
    }
}
