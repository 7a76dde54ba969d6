package dev.pgkafka.application.service.group;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pgkafka.application.port.in.GroupMembershipUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.JoinRequest;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.Protocol;
import dev.pgkafka.domain.group.SyncRequest;
import dev.pgkafka.domain.group.SyncResult;

/** What a consumer's group client does, reduced to the protocol: join (with MEMBER_ID_REQUIRED), sync. */
final class TestMember {
    final GroupMembershipUseCase groups;
    final String groupId;
    final String instanceId;
    final int sessionTimeoutMs;
    final int rebalanceTimeoutMs;
    byte[] subscription = {0, 0, 0, 0, 0, 0, -1, -1, -1, -1};
    String memberId = "";
    int generation = -1;
    boolean leader;
    List<String> members = List.of();

    TestMember(GroupMembershipUseCase groups, String groupId, String instanceId, int sessionTimeoutMs,
               int rebalanceTimeoutMs) {
        this.groups = groups;
        this.groupId = groupId;
        this.instanceId = instanceId;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
    }

    JoinRequest request() {
        return new JoinRequest(memberId, instanceId, "client", "/127.0.0.1", sessionTimeoutMs, rebalanceTimeoutMs,
                "consumer", List.of(new Protocol("range", subscription)), null, true,
                true);
    }

    /** Joins until the join phase answers: NONE, or the first error other than MEMBER_ID_REQUIRED. */
    JoinResult join() {
        while (true) {
            JoinResult result = groups.joinGroup(groupId, request());
            if (result.error() == ErrorCode.MEMBER_ID_REQUIRED) {
                memberId = result.memberId();
                continue;
            }
            if (result.error() == ErrorCode.NONE) {
                memberId = result.memberId();
                generation = result.generationId();
                leader = memberId.equals(result.leaderId());
                members = new ArrayList<>();
                result.members().forEach(m -> members.add(m.memberId()));
            }
            return result;
        }
    }

    /** The leader assigns partitions 0..partitions-1 round robin over the members. */
    SyncResult sync(int partitions) {
        Map<String, byte[]> assignments = Map.of();
        if (leader) {
            assignments = new java.util.HashMap<>();
            for (int i = 0; i < members.size(); i++) {
                List<Integer> mine = new ArrayList<>();
                for (int p = i; p < partitions; p += members.size()) {
                    mine.add(p);
                }
                assignments.put(members.get(i), encode(mine));
            }
        }
        return groups.syncGroup(groupId, new SyncRequest(memberId, instanceId, generation, "consumer", "range",
                assignments));
    }

    /** Continues as {@code other} (same member id and generation), e.g. after a broker restart. */
    TestMember withIdentity(TestMember other) {
        memberId = other.memberId;
        generation = other.generation;
        leader = other.leader;
        return this;
    }

    /** Subscribes (consumer protocol, version 0) to the topics. */
    TestMember subscribedTo(String... topics) {
        int size = 2 + 4 + 4;
        for (String t : topics) {
            size += 2 + t.length();
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort((short) 0).putInt(topics.length);
        for (String t : topics) {
            b.putShort((short) t.length()).put(t.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.putInt(-1);
        subscription = b.array();
        return this;
    }

    ErrorCode heartbeat() {
        return groups.heartbeat(groupId, memberId, instanceId, generation);
    }

    static byte[] encode(List<Integer> partitions) {
        ByteBuffer b = ByteBuffer.allocate(4 * partitions.size());
        partitions.forEach(b::putInt);
        return b.array();
    }

    static List<Integer> decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        List<Integer> list = new ArrayList<>();
        while (b.hasRemaining()) {
            list.add(b.getInt());
        }
        return list;
    }
}
