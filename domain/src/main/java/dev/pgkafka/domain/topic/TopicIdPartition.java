package dev.pgkafka.domain.topic;

import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/** A partition named by its topic's id, so that a re-created topic of the same name is a different log. */
public record TopicIdPartition(UUID topicId, int partition) implements Comparable<TopicIdPartition> {
    private static final Comparator<TopicIdPartition> ORDER =
            Comparator.comparing(TopicIdPartition::topicId).thenComparingInt(TopicIdPartition::partition);

    public TopicIdPartition {
        Objects.requireNonNull(topicId, "topic id");
    }

    /** The lock order for appends that touch several partitions. */
    @Override
    public int compareTo(TopicIdPartition o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return topicId + "-" + partition;
    }
}
