package dev.pgkafka.domain.group;

import java.util.List;

/**
 * A classic group as persisted: enough to restore it after a broker restart, as Kafka's
 * GroupMetadata record is. Members are present only for a group with a generation in progress or
 * done (a restored group with members is Stable, without members Empty).
 *
 * @param protocolType   null for a group that never had a member (e.g. one made by offset commits)
 * @param protocolName   the protocol of the current generation, or null
 * @param leaderId       the leader's member id, or null
 * @param stateTimestamp when the group entered its current state, in epoch milliseconds
 */
public record GroupSnapshot(String groupId, String protocolType, String protocolName, int generationId,
                            String leaderId, long stateTimestamp, List<Member> members) {
    public GroupSnapshot {
        members = List.copyOf(members);
    }

    /**
     * @param subscription the member's metadata for the group's protocol
     * @param assignment   what the leader assigned it in this generation
     */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost,
                         int sessionTimeoutMs, int rebalanceTimeoutMs, byte[] subscription, byte[] assignment) {
    }
}
