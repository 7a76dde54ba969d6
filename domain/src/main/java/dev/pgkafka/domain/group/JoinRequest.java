package dev.pgkafka.domain.group;

import java.util.List;
import java.util.Objects;

/**
 * A JoinGroup as the group sees it.
 *
 * @param memberId               the member id, or "" for a member that has none yet
 * @param groupInstanceId        the static member's {@code group.instance.id}, or null for a dynamic member
 * @param clientHost             where the member connects from, as Kafka shows it (e.g. {@code /127.0.0.1})
 * @param rebalanceTimeoutMs     how long the group waits for the member to rejoin during a rebalance
 * @param protocols              the protocols the member supports, in its order of preference
 * @param reason                 why the member (re)joins, for logs; may be null
 * @param requireKnownMemberId   JoinGroup v4+: a new dynamic member first gets MEMBER_ID_REQUIRED and an id
 * @param supportsSkipAssignment JoinGroup v9+: a static leader that rejoins a stable group keeps its assignment
 */
public record JoinRequest(String memberId, String groupInstanceId, String clientId, String clientHost,
                          int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
                          String reason, boolean requireKnownMemberId, boolean supportsSkipAssignment) {
    public JoinRequest {
        Objects.requireNonNull(memberId, "member id");
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        protocolType = protocolType == null ? "" : protocolType;
        protocols = List.copyOf(protocols);
    }
}
