package dev.pgkafka.application.port.out;

import java.util.List;
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
}
