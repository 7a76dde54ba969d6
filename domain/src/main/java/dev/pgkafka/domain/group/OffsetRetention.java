package dev.pgkafka.domain.group;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import dev.pgkafka.domain.group.consumer.ConsumerGroup;
import dev.pgkafka.domain.topic.Topic;

/**
 * Kafka's {@code offsets.retention.minutes}: which committed offsets of a group have expired.
 * <ul>
 *   <li>an empty group's offsets expire a retention period after the group became empty;</li>
 *   <li>a group without a protocol type (consumers that only commit, {@code assign()} mode) loses
 *       each offset a retention period after its commit;</li>
 *   <li>a stable consumer group whose subscriptions the broker knows loses offsets of topics it no
 *       longer subscribes to, a retention period after their commit;</li>
 *   <li>an offset committed with an explicit retention (OffsetCommit v2-v4) expires at its own time.</li>
 * </ul>
 * Offsets of topics the group subscribes to never expire. An empty group whose offsets are all gone
 * is deleted. Consumer groups (KIP-848) follow their own rule ({@link #expired(ConsumerGroup, Map, Function, long, long)}).
 */
public final class OffsetRetention {
    private OffsetRetention() {
    }

    /**
     * The keys of the offsets that have expired at {@code now}.
     *
     * @param topicOf the topic name of a key
     */
    public static <K> Set<K> expired(ClassicGroup group, Map<K, CommittedOffset> offsets, Function<K, String> topicOf,
                                     long now, long retentionMs) {
        Set<K> expired = new LinkedHashSet<>();
        Base base = base(group);
        if (base == Base.NONE) {
            return expired;
        }
        for (Map.Entry<K, CommittedOffset> e : offsets.entrySet()) {
            CommittedOffset offset = e.getValue();
            if (group.isSubscribedToTopic(topicOf.apply(e.getKey()))) {
                continue;
            }
            boolean isExpired;
            if (offset.expireTimestamp().isPresent()) {
                isExpired = now >= offset.expireTimestamp().getAsLong();
            } else {
                long from = base == Base.GROUP_EMPTY_SINCE ? group.stateTimestamp() : offset.commitTimestamp();
                isExpired = now - from >= retentionMs;
            }
            if (isExpired) {
                expired.add(e.getKey());
            }
        }
        return expired;
    }

    /**
     * The keys of a consumer group's (KIP-848) offsets that have expired at {@code now}: as in Kafka, an
     * offset of a topic no member subscribes to expires a retention period after its commit (or at its
     * explicit expiry), so an empty group's offsets all do.
     */
    public static <K> Set<K> expired(ConsumerGroup group, Map<K, CommittedOffset> offsets, Function<K, Topic> topicOf,
                                     long now, long retentionMs) {
        Set<K> expired = new LinkedHashSet<>();
        for (Map.Entry<K, CommittedOffset> e : offsets.entrySet()) {
            Topic topic = topicOf.apply(e.getKey());
            if (topic != null && group.isSubscribedTo(topic)) {
                continue;
            }
            CommittedOffset offset = e.getValue();
            boolean isExpired = offset.expireTimestamp().isPresent() ? now >= offset.expireTimestamp().getAsLong()
                    : now - offset.commitTimestamp() >= retentionMs;
            if (isExpired) {
                expired.add(e.getKey());
            }
        }
        return expired;
    }

    /** Whether the group itself goes: it is empty and has no offsets left. */
    public static boolean groupExpired(ClassicGroup group, int offsetsLeft) {
        return group.state() == GroupState.EMPTY && offsetsLeft == 0;
    }

    private enum Base { NONE, GROUP_EMPTY_SINCE, COMMIT }

    private static Base base(ClassicGroup group) {
        if (group.protocolType() == null) {
            return Base.COMMIT;
        }
        if (group.state() == GroupState.EMPTY) {
            return Base.GROUP_EMPTY_SINCE;
        }
        if (group.state() == GroupState.STABLE && ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
            return Base.COMMIT;
        }
        return Base.NONE;
    }
}
