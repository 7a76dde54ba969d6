package dev.pgkafka.adapter.postgres.topic;

import static dev.pgkafka.adapter.postgres.schema.Tables.TOPICS;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Kafka topic ids to the small keys the other tables use. The mapping of a topic row never changes
 * and identity keys are never reused, so a cached key is never wrong: at worst it names a deleted
 * topic, whose partitions are gone too. Unknown ids are not cached (the topic may be created later).
 * With keys in hand the hot statements are primary-key lookups, without a join on {@code topics}.
 */
public final class TopicKeys {
    private final Map<UUID, Integer> keys = new ConcurrentHashMap<>();

    public void remember(UUID topicId, int topicKey) {
        keys.put(topicId, topicKey);
    }

    /** The key of each known topic among {@code topicIds}; unknown ones are absent. */
    public Map<UUID, Integer> resolve(DSLContext sql, Collection<UUID> topicIds) {
        Map<UUID, Integer> found = new HashMap<>();
        Set<UUID> missing = new LinkedHashSet<>();
        for (UUID id : topicIds) {
            Integer key = keys.get(id);
            if (key != null) {
                found.put(id, key);
            } else {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            sql.select(TOPICS.TOPIC_ID, TOPICS.TOPIC_KEY)
                    .from(TOPICS)
                    .where(TOPICS.TOPIC_ID.eq(DSL.any(DSL.val(missing.toArray(UUID[]::new), SQLDataType.UUID.array()))))
                    .fetch()
                    .forEach(r -> {
                        remember(r.value1(), r.value2());
                        found.put(r.value1(), r.value2());
                    });
        }
        return found;
    }

    /** The key of one topic, or null when there is no such topic. */
    public Integer resolve(DSLContext sql, UUID topicId) {
        return resolve(sql, Set.of(topicId)).get(topicId);
    }
}
