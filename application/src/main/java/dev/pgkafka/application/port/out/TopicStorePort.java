package dev.pgkafka.application.port.out;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.pgkafka.domain.topic.Topic;

/** Where topics and their partitions live. */
public interface TopicStorePort {

    /**
     * Creates the topic and its partitions (each empty: log start 0, high watermark 0).
     *
     * @return the topic, or empty when a topic of that name already exists
     */
    Optional<Topic> create(Topic topic);

    Optional<Topic> findByName(String name);

    Optional<Topic> findById(UUID id);

    List<Topic> findAll();

    /**
     * Deletes the topic: at once it can no longer be found, its partitions have no heads, appends
     * to it fail and its name is free for a new topic. Its records, producer state and indexes go
     * with it, at once or later through {@link LogCleanerPort#purgeDeletedTopics}.
     *
     * @return the deleted topic, or empty when there is no topic with this id
     */
    Optional<Topic> delete(UUID topicId);

    /**
     * Replaces the topic's config overrides.
     *
     * @return the topic with its new configs, or empty when there is no topic with this id
     */
    Optional<Topic> updateConfigs(UUID topicId, Map<String, String> configs);

    /**
     * Raises the topic's partition count to {@code newCount}, creating the new partitions empty. A
     * count not above the current one changes nothing.
     *
     * @return the topic as it is afterwards (compare its partition count), or empty when there is
     *         no topic with this id
     */
    Optional<Topic> addPartitions(UUID topicId, int newCount);
}
