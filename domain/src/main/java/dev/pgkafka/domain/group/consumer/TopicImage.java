package dev.pgkafka.domain.group.consumer;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import dev.pgkafka.domain.topic.Topic;

/** The topics that exist when a heartbeat is handled: what subscriptions resolve against. */
public final class TopicImage {
    public static final TopicImage EMPTY = new TopicImage(java.util.List.of());

    private final Map<String, Topic> byName = new TreeMap<>();
    private final Map<UUID, Topic> byId = new TreeMap<>();

    public TopicImage(Collection<Topic> topics) {
        for (Topic t : topics) {
            byName.put(t.name(), t);
            byId.put(t.id(), t);
        }
    }

    public Optional<Topic> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Optional<Topic> find(UUID topicId) {
        return Optional.ofNullable(byId.get(topicId));
    }

    /** Topics by name, in name order. */
    public Map<String, Topic> byName() {
        return Collections.unmodifiableMap(byName);
    }
}
