package dev.pgkafka.domain.group.consumer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.regex.JdkRegexEngine;

/**
 * A consumer as the protocol expects it to behave: it owns what it was last given, reports that at
 * every heartbeat, and gives up everything and rejoins when fenced.
 */
final class Client {
    final String memberId;
    final String instanceId;
    List<String> topics;
    String regex;
    String assignor;
    int epoch;
    Map<UUID, Set<Integer>> owned = Map.of();
    ConsumerHeartbeatResult last;
    /** After a lost answer a client sends every field again (Kafka's full heartbeat). */
    boolean sendFull;
    /** The topics its regex may resolve to (what its principal may DESCRIBE), null for all. */
    Predicate<String> visibleTopics;

    Client(String memberId, String instanceId, List<String> topics) {
        this.memberId = memberId;
        this.instanceId = instanceId;
        this.topics = topics;
    }

    ConsumerGroup.Outcome join(ConsumerGroup group, TopicImage image, long now) {
        epoch = 0;
        owned = Map.of();
        return heartbeat(group, image, now);
    }

    ConsumerGroup.Outcome heartbeat(ConsumerGroup group, TopicImage image, long now) {
        boolean full = epoch == 0 || sendFull;
        ConsumerHeartbeat request = new ConsumerHeartbeat(memberId, epoch, instanceId, null,
                full ? 30_000 : -1, full ? (topics == null ? List.of() : topics) : null, full ? regex : null, assignor, owned,
                "client", "/127.0.0.1", true);
        if (ConsumerGroup.validate(group.groupId(), request, PartitionAssignors.builtIn(), JdkRegexEngine.INSTANCE).isPresent()) {
            throw new AssertionError("invalid heartbeat " + request);
        }
        ConsumerGroup.Outcome outcome = group.heartbeat(request, memberId, image, PartitionAssignors.builtIn(), now,
                visibleTopics);
        last = outcome.result();
        sendFull = false;
        if (last.error() == ErrorCode.FENCED_MEMBER_EPOCH || last.error() == ErrorCode.UNKNOWN_MEMBER_ID) {
            owned = Map.of();
            epoch = 0;
        } else if (last.error() == ErrorCode.NONE) {
            epoch = last.memberEpoch();
            if (last.assignment() != null) {
                owned = last.assignment();
            }
        }
        return outcome;
    }

    /** A heartbeat whose answer never arrives. */
    void heartbeatLost(ConsumerGroup group, TopicImage image, long now) {
        Map<UUID, Set<Integer>> ownedBefore = owned;
        int epochBefore = epoch;
        heartbeat(group, image, now);
        owned = ownedBefore;
        epoch = epochBefore;
        sendFull = true;
    }

    ConsumerGroup.Outcome leave(ConsumerGroup group, TopicImage image, long now) {
        ConsumerHeartbeat request = new ConsumerHeartbeat(memberId, instanceId != null ? -2 : -1, instanceId, null, -1,
                null, null, null, null, "client", "/127.0.0.1", true);
        ConsumerGroup.Outcome outcome = group.heartbeat(request, memberId, image, PartitionAssignors.builtIn(), now);
        last = outcome.result();
        owned = Map.of();
        return outcome;
    }
}
