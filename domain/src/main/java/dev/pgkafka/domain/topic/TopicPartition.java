package dev.pgkafka.domain.topic;

import java.util.Objects;

/** A partition named by its topic's name, as clients name it. */
public record TopicPartition(String topic, int partition) {
    public TopicPartition {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
