package dev.pgkafka.domain.group;

import java.util.List;

/**
 * A group as DescribeGroups shows it: protocol data, member metadata and assignments only when the
 * group is stable (Kafka's rule).
 *
 * @param protocolType "" when the group has none
 * @param protocolData the chosen protocol when stable, else ""
 */
public record GroupDescription(String groupId, GroupState state, String protocolType, String protocolData,
                               int generationId, List<Member> members) {
    public GroupDescription {
        members = List.copyOf(members);
    }

    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost, byte[] metadata,
                         byte[] assignment) {
    }
}
