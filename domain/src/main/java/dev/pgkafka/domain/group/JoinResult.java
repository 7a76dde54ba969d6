package dev.pgkafka.domain.group;

import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * The answer to a JoinGroup.
 *
 * @param protocolType   the group's protocol type, or null when there is none to tell (errors)
 * @param protocolName   the protocol the group chose, or null on errors
 * @param leaderId       the leader's member id, or "" when there is none to tell
 * @param skipAssignment the leader must not compute a new assignment (a static leader rejoined, v9+)
 * @param members        the members with their metadata for the chosen protocol: for the leader only
 */
public record JoinResult(ErrorCode error, int generationId, String protocolType, String protocolName, String leaderId,
                         boolean skipAssignment, String memberId, List<JoinedMember> members) {
    public JoinResult {
        members = List.copyOf(members);
        leaderId = leaderId == null ? "" : leaderId;
    }

    public static JoinResult error(ErrorCode error, String memberId) {
        return new JoinResult(error, -1, null, null, "", false, memberId, List.of());
    }

    /** A member as the leader sees it in its JoinGroup answer. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }
}
