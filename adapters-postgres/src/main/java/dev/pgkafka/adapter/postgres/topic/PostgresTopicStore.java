package dev.pgkafka.adapter.postgres.topic;

import static dev.pgkafka.adapter.postgres.schema.Tables.DELETED_TOPICS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PARTITIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.TOPICS;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.Record2;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.application.port.out.TopicStorePort;
import dev.pgkafka.domain.topic.Topic;

/**
 * Topics in {@code kafka.topics}, their partitions in {@code kafka.partitions}. A deleted topic's row
 * goes at once (partitions, producer state and checkpoints by cascade) and its key is listed in
 * {@code kafka.deleted_topics} for the log cleaner to purge its records.
 */
public final class PostgresTopicStore implements TopicStorePort {
    // configs is jsonb for psql readers; PostgreSQL converts to and from parallel text arrays, so no JSON code here
    private static final Field<String[]> CONFIG_NAMES = DSL.field(
            "array(select e.key from jsonb_each_text({0}) e order by e.key)", SQLDataType.CLOB.array(), TOPICS.CONFIGS);
    private static final Field<String[]> CONFIG_VALUES = DSL.field(
            "array(select e.value from jsonb_each_text({0}) e order by e.key)", SQLDataType.CLOB.array(), TOPICS.CONFIGS);

    private final Database db;
    private final TopicKeys topicKeys;

    public PostgresTopicStore(Database db, TopicKeys topicKeys) {
        this.db = db;
        this.topicKeys = topicKeys;
    }

    /** The configs as a jsonb object built by PostgreSQL from two bound text arrays. */
    private static Field<JSONB> configsJson(Map<String, String> map) {
        String[] names = map.keySet().toArray(String[]::new);
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = map.get(names[i]);
        }
        return DSL.field("jsonb_object({0}, {1})", SQLDataType.JSONB,
                DSL.val(names, SQLDataType.CLOB.array()), DSL.val(values, SQLDataType.CLOB.array()));
    }

    @Override
    public Optional<Topic> create(Topic topic) {
        return db.transaction("create topic " + topic.name(), (c, sql) -> {
            Field<JSONB> configs = configsJson(topic.configs());
            // ON CONFLICT on the name: a concurrent creator of the same name waits for ours to commit, then
            // inserts nothing, so a lost race is an empty answer, never an error or a half-created topic.
            Record1<Integer> key = sql.insertInto(TOPICS, TOPICS.TOPIC_ID, TOPICS.NAME, TOPICS.PARTITION_COUNT, TOPICS.CONFIGS)
                    .select(DSL.select(DSL.val(topic.id()), DSL.val(topic.name()), DSL.val(topic.partitionCount()), configs))
                    .onConflict(TOPICS.NAME).doNothing()
                    .returningResult(TOPICS.TOPIC_KEY)
                    .fetchOne();
            if (key == null) {
                return Optional.<Topic>empty();
            }
            topicKeys.remember(topic.id(), key.value1());
            Table<Record1<Integer>> series = DSL.generateSeries(0, topic.partitionCount() - 1).as("series", "p");
            sql.insertInto(PARTITIONS, PARTITIONS.TOPIC_KEY, PARTITIONS.PARTITION)
                    .select(DSL.select(DSL.val(key.value1()), series.field("p", Integer.class)).from(series))
                    .execute();
            return Optional.of(topic);
        });
    }

    @Override
    public Optional<Topic> findByName(String name) {
        return db.autoCommit("find topic " + name, (c, sql) -> find(sql, TOPICS.NAME.eq(name)).stream().findFirst());
    }

    @Override
    public Optional<Topic> findById(UUID id) {
        return db.autoCommit("find topic " + id, (c, sql) -> find(sql, TOPICS.TOPIC_ID.eq(id)).stream().findFirst());
    }

    @Override
    public List<Topic> findAll() {
        return db.autoCommit("list topics", (c, sql) -> find(sql, DSL.trueCondition()));
    }

    @Override
    public Optional<Topic> delete(UUID topicId) {
        return db.transaction("delete topic " + topicId, (c, sql) -> {
            Optional<Record> row = sql.select(TOPICS.TOPIC_KEY, TOPICS.TOPIC_ID, TOPICS.NAME, TOPICS.PARTITION_COUNT,
                            CONFIG_NAMES, CONFIG_VALUES)
                    .from(TOPICS)
                    .where(TOPICS.TOPIC_ID.eq(topicId))
                    .forUpdate()
                    .fetchOptional()
                    .map(r -> r);
            if (row.isEmpty()) {
                return Optional.<Topic>empty();
            }
            Topic topic = toTopic(row.get());
            int key = row.get().get(TOPICS.TOPIC_KEY);
            // the cascade to partitions waits for appends in progress (they hold the head rows), so no
            // append commits records of this topic after the purge list names it
            sql.deleteFrom(TOPICS).where(TOPICS.TOPIC_KEY.eq(key)).execute();
            sql.insertInto(DELETED_TOPICS, DELETED_TOPICS.TOPIC_KEY, DELETED_TOPICS.TOPIC_ID, DELETED_TOPICS.NAME)
                    .values(key, topic.id(), topic.name())
                    .execute();
            return Optional.of(topic);
        });
    }

    @Override
    public Optional<Topic> updateConfigs(UUID topicId, Map<String, String> configs) {
        return db.transaction("update the configs of topic " + topicId, (c, sql) -> {
            int updated = sql.update(TOPICS)
                    .set(TOPICS.CONFIGS, configsJson(configs))
                    .where(TOPICS.TOPIC_ID.eq(topicId))
                    .execute();
            return updated == 0 ? Optional.<Topic>empty() : find(sql, TOPICS.TOPIC_ID.eq(topicId)).stream().findFirst();
        });
    }

    @Override
    public Optional<Topic> addPartitions(UUID topicId, int newCount) {
        return db.transaction("add partitions to topic " + topicId, (c, sql) -> {
            Optional<Record2<Integer, Integer>> current = sql.select(TOPICS.TOPIC_KEY, TOPICS.PARTITION_COUNT)
                    .from(TOPICS)
                    .where(TOPICS.TOPIC_ID.eq(topicId))
                    .forUpdate()
                    .fetchOptional();
            if (current.isEmpty()) {
                return Optional.<Topic>empty();
            }
            int key = current.get().value1();
            int count = current.get().value2();
            if (newCount > count) {
                sql.update(TOPICS).set(TOPICS.PARTITION_COUNT, newCount).where(TOPICS.TOPIC_KEY.eq(key)).execute();
                Table<Record1<Integer>> series = DSL.generateSeries(count, newCount - 1).as("series", "p");
                sql.insertInto(PARTITIONS, PARTITIONS.TOPIC_KEY, PARTITIONS.PARTITION)
                        .select(DSL.select(DSL.val(key), series.field("p", Integer.class)).from(series))
                        .execute();
            }
            return find(sql, TOPICS.TOPIC_KEY.eq(key)).stream().findFirst();
        });
    }

    private List<Topic> find(DSLContext sql, Condition condition) {
        return sql.select(TOPICS.TOPIC_KEY, TOPICS.TOPIC_ID, TOPICS.NAME, TOPICS.PARTITION_COUNT, CONFIG_NAMES, CONFIG_VALUES)
                .from(TOPICS)
                .where(condition)
                .orderBy(TOPICS.NAME)
                .fetch(this::toTopic);
    }

    private Topic toTopic(Record r) {
        topicKeys.remember(r.get(TOPICS.TOPIC_ID), r.get(TOPICS.TOPIC_KEY));
        String[] names = r.get(CONFIG_NAMES);
        String[] values = r.get(CONFIG_VALUES);
        Map<String, String> configs = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            configs.put(names[i], values[i]);
        }
        return new Topic(r.get(TOPICS.TOPIC_ID), r.get(TOPICS.NAME), r.get(TOPICS.PARTITION_COUNT), configs);
    }
}
