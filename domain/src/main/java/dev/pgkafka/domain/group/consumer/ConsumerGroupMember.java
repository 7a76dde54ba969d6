package dev.pgkafka.domain.group.consumer;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A member of a consumer group (KIP-848) as the coordinator knows it. Immutable: every change makes a
 * new member.
 *
 * @param instanceId            {@code group.instance.id} of a static member, else null
 * @param rackId                the client's rack, else null
 * @param subscribedTopicNames  sorted topic names the member subscribes to
 * @param subscribedTopicRegex  the regular expression it subscribes with, else null
 * @param serverAssignor        the assignor it asks for ({@code group.remote.assignor}), else null
 * @param memberEpoch           the epoch of the member's current assignment; -2 after a static member left
 *                              temporarily
 * @param previousMemberEpoch   the epoch before, accepted once more when the answer with the new one was lost
 * @param assignedPartitions    the partitions the member may own now
 * @param partitionsPendingRevocation partitions it still owns and must give up before its epoch advances
 */
public record ConsumerGroupMember(
        String memberId,
        String instanceId,
        String rackId,
        String clientId,
        String clientHost,
        List<String> subscribedTopicNames,
        String subscribedTopicRegex,
        String serverAssignor,
        int rebalanceTimeoutMs,
        int memberEpoch,
        int previousMemberEpoch,
        MemberState state,
        Map<UUID, Set<Integer>> assignedPartitions,
        Map<UUID, Set<Integer>> partitionsPendingRevocation) {

    /** The epoch a static member is given when it leaves temporarily, keeping its partitions. */
    public static final int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;
    /** The epoch a member sends to leave for good. */
    public static final int LEAVE_GROUP_MEMBER_EPOCH = -1;

    public ConsumerGroupMember {
        Objects.requireNonNull(memberId, "member id");
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        subscribedTopicNames = subscribedTopicNames == null ? List.of()
                : subscribedTopicNames.stream().distinct().sorted().toList();
        subscribedTopicRegex = subscribedTopicRegex == null || subscribedTopicRegex.isEmpty() ? null : subscribedTopicRegex;
        serverAssignor = serverAssignor == null || serverAssignor.isEmpty() ? null : serverAssignor;
        Objects.requireNonNull(state, "state");
        assignedPartitions = TopicPartitions.copy(assignedPartitions);
        partitionsPendingRevocation = TopicPartitions.copy(partitionsPendingRevocation);
    }

    /** A member that just joined: epoch 0, nothing assigned. */
    public static ConsumerGroupMember joining(String memberId, String instanceId) {
        return new ConsumerGroupMember(memberId, instanceId, null, "", "", List.of(), null, null, 0, 0, 0,
                MemberState.STABLE, Map.of(), Map.of());
    }

    /** Whether the member subscribes to the same topics (names and regex) as {@code other}. */
    public boolean sameSubscription(ConsumerGroupMember other) {
        return subscribedTopicNames.equals(other.subscribedTopicNames)
                && Objects.equals(subscribedTopicRegex, other.subscribedTopicRegex);
    }

    /** The partitions the member still owns: assigned plus pending revocation. */
    public Map<UUID, Set<Integer>> ownedPartitions() {
        return TopicPartitions.union(assignedPartitions, partitionsPendingRevocation);
    }

    public boolean isStatic() {
        return instanceId != null;
    }

    public ConsumerGroupMember withSubscription(String newClientId, String newClientHost, String newRackId,
                                                List<String> names, String regex, String assignor, int rebalanceTimeout) {
        return new ConsumerGroupMember(memberId, instanceId, newRackId, newClientId, newClientHost, names, regex,
                assignor, rebalanceTimeout, memberEpoch, previousMemberEpoch, state, assignedPartitions,
                partitionsPendingRevocation);
    }

    public ConsumerGroupMember withMemberId(String newMemberId) {
        return new ConsumerGroupMember(newMemberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
                subscribedTopicRegex, serverAssignor, rebalanceTimeoutMs, memberEpoch, previousMemberEpoch, state,
                assignedPartitions, partitionsPendingRevocation);
    }

    /** The same member at {@code epoch} (the previous epoch becomes the current one), in the given state. */
    public ConsumerGroupMember reconciled(int epoch, MemberState newState, Map<UUID, Set<Integer>> assigned,
                                          Map<UUID, Set<Integer>> pendingRevocation) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
                subscribedTopicRegex, serverAssignor, rebalanceTimeoutMs, epoch, memberEpoch, newState, assigned,
                pendingRevocation);
    }

    /** A static member that left temporarily: epoch -2, keeping its assigned partitions. */
    public ConsumerGroupMember leftTemporarily() {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
                subscribedTopicRegex, serverAssignor, rebalanceTimeoutMs, LEAVE_GROUP_STATIC_MEMBER_EPOCH,
                memberEpoch, state, assignedPartitions, Map.of());
    }
}
