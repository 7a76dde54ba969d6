package dev.pgkafka.domain.assignment;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * One member as an assignor sees it: its static identity and rack (if any), the topics it subscribes
 * to (by id; topics that do not exist are ignored) and the partitions it currently holds (partitions
 * that no longer exist, or of topics it no longer subscribes to, are ignored).
 */
public record MemberSubscription(
        Optional<String> instanceId,
        Optional<String> rackId,
        Set<UUID> subscribedTopicIds,
        Map<UUID, Set<Integer>> currentAssignment) {

    public MemberSubscription {
        Objects.requireNonNull(instanceId, "instance id");
        Objects.requireNonNull(rackId, "rack id");
        subscribedTopicIds = Set.copyOf(subscribedTopicIds);
        currentAssignment = GroupAssignment.copyTopicPartitions(currentAssignment);
    }

    /** A dynamic member without rack that holds nothing yet. */
    public static MemberSubscription of(Set<UUID> subscribedTopicIds) {
        return new MemberSubscription(Optional.empty(), Optional.empty(), subscribedTopicIds, Map.of());
    }

    public MemberSubscription withCurrentAssignment(Map<UUID, Set<Integer>> assignment) {
        return new MemberSubscription(instanceId, rackId, subscribedTopicIds, assignment);
    }

    public MemberSubscription withInstanceId(String id) {
        return new MemberSubscription(Optional.of(id), rackId, subscribedTopicIds, currentAssignment);
    }
}
