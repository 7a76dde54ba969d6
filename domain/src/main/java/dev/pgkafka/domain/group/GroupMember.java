package dev.pgkafka.domain.group;

import java.util.ArrayList;
import java.util.List;

/** A member of a {@link ClassicGroup}; mutable, and only ever touched by its group. */
final class GroupMember {
    static final byte[] NO_BYTES = new byte[0];

    final String memberId;
    final String groupInstanceId;
    final String clientId;
    final String clientHost;
    final String protocolType;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = NO_BYTES;
    /** The member's JoinGroup waiting for the join phase to complete, or null. */
    ParkedCall joinCall;
    /** The member's SyncGroup waiting for the leader's assignment, or null. */
    ParkedCall syncCall;
    /** Joined in the current join phase and has not had a JoinGroup answer yet. */
    boolean isNew;
    /** When the member is dropped unless it heartbeats (or is waiting in a rebalance), or NO_DEADLINE. */
    long heartbeatDeadline = ClassicGroup.NO_DEADLINE;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                int sessionTimeoutMs, String protocolType, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = List.copyOf(protocols);
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    boolean isAwaitingJoin() {
        return joinCall != null;
    }

    boolean isAwaitingSync() {
        return syncCall != null;
    }

    /**
     * Kafka's rule when the member's session deadline passes: a member parked in a rebalance is
     * alive (its connection is busy with the rebalance), unless it is new; anyone else must have
     * heartbeated.
     */
    boolean hasSatisfiedHeartbeat() {
        if (isNew) {
            return false;
        }
        return isAwaitingJoin() || isAwaitingSync();
    }

    /** The member's metadata for a protocol, or no bytes when it does not support it. */
    byte[] metadata(String protocolName) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocolName)) {
                return p.metadata();
            }
        }
        return NO_BYTES;
    }

    /** Same protocols with the same metadata in the same order. */
    boolean matches(List<Protocol> other) {
        return protocols.equals(other);
    }

    /** The member's favourite among the candidates. */
    String vote(java.util.Set<String> candidates) {
        for (Protocol p : protocols) {
            if (candidates.contains(p.name())) {
                return p.name();
            }
        }
        throw new IllegalStateException("member " + memberId + " supports none of " + candidates);
    }

    List<String> protocolNames() {
        List<String> names = new ArrayList<>(protocols.size());
        protocols.forEach(p -> names.add(p.name()));
        return names;
    }

    @Override
    public String toString() {
        return memberId + (groupInstanceId == null ? "" : " (instance " + groupInstanceId + ")");
    }
}
