package dev.pgkafka.domain.group.consumer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One ConsumerGroupHeartbeat, protocol-neutral. Fields a client leaves out because they did not change
 * are null (-1 for the rebalance timeout), as on the wire.
 *
 * @param memberId            "" in a v0 join: the coordinator makes one up
 * @param memberEpoch         0 to join, -1 to leave, -2 for a static member to leave temporarily
 * @param ownedPartitions     the partitions the member owns, null when unchanged
 * @param clientGeneratesMemberId v1+ (KIP-1082): a join must carry the client's own member id
 */
public record ConsumerHeartbeat(
        String memberId,
        int memberEpoch,
        String instanceId,
        String rackId,
        int rebalanceTimeoutMs,
        List<String> subscribedTopicNames,
        String subscribedTopicRegex,
        String serverAssignor,
        Map<UUID, Set<Integer>> ownedPartitions,
        String clientId,
        String clientHost,
        boolean clientGeneratesMemberId) {

    public ConsumerHeartbeat {
        memberId = memberId == null ? "" : memberId;
        subscribedTopicNames = subscribedTopicNames == null ? null : List.copyOf(subscribedTopicNames);
        ownedPartitions = ownedPartitions == null ? null : TopicPartitions.copy(ownedPartitions);
    }

    /** The same request as a v0 client sends it (the coordinator may choose the member id). */
    public ConsumerHeartbeat withV0() {
        return new ConsumerHeartbeat(memberId, memberEpoch, instanceId, rackId, rebalanceTimeoutMs, subscribedTopicNames,
                subscribedTopicRegex, serverAssignor, ownedPartitions, clientId, clientHost, false);
    }

    /** Whether every field a join must carry is there (Kafka answers such a request with the full assignment). */
    public boolean isFull() {
        return rebalanceTimeoutMs != -1 && (subscribedTopicNames != null || subscribedTopicRegex != null)
                && ownedPartitions != null;
    }
}
