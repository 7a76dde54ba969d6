package dev.pgkafka.application.service;

import dev.pgkafka.domain.topic.Topic;

/**
 * Told after a topic was deleted, so that state kept elsewhere about it (committed consumer
 * offsets, group subscriptions, ...) goes too. Register with {@link TopicAdminService#onTopicDeleted}.
 * Called on the deleting request's thread; a listener that throws is logged and does not undo the
 * deletion.
 */
@FunctionalInterface
public interface TopicDeletionListener {
    void topicDeleted(Topic topic);
}
