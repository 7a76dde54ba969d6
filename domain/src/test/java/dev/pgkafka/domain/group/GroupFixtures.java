package dev.pgkafka.domain.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pgkafka.domain.error.ErrorCode;

/** Requests and consumer-protocol bytes for the group tests, and a member id source like Kafka's. */
final class GroupFixtures {
    static final int SESSION = 10_000;
    static final int REBALANCE = 30_000;

    private int nextId = 1;

    private GroupFixtures() {
    }

    static GroupFixtures fixtures() {
        return new GroupFixtures();
    }

    String newId(String clientId) {
        return clientId + "-" + (nextId++);
    }

    /** A consumer's JoinGroup v9 for the range assignor, subscribed to {@code topic}. */
    static JoinRequest join(String memberId) {
        return join(memberId, null, List.of(new Protocol("range", subscription("t"))));
    }

    static JoinRequest join(String memberId, String instanceId, List<Protocol> protocols) {
        return new JoinRequest(memberId, instanceId, "client", "/127.0.0.1", SESSION, REBALANCE, "consumer", protocols,
                null, true, true);
    }

    static JoinRequest withVersionBefore4(JoinRequest r) {
        return new JoinRequest(r.memberId(), r.groupInstanceId(), r.clientId(), r.clientHost(), r.sessionTimeoutMs(),
                r.rebalanceTimeoutMs(), r.protocolType(), r.protocols(), r.reason(), false, false);
    }

    static JoinRequest withVersionBefore9(JoinRequest r) {
        return new JoinRequest(r.memberId(), r.groupInstanceId(), r.clientId(), r.clientHost(), r.sessionTimeoutMs(),
                r.rebalanceTimeoutMs(), r.protocolType(), r.protocols(), r.reason(), true, false);
    }

    static JoinRequest withTimeouts(JoinRequest r, int session, int rebalance) {
        return new JoinRequest(r.memberId(), r.groupInstanceId(), r.clientId(), r.clientHost(), session, rebalance,
                r.protocolType(), r.protocols(), r.reason(), r.requireKnownMemberId(), r.supportsSkipAssignment());
    }

    static SyncRequest sync(String memberId, int generation) {
        return new SyncRequest(memberId, null, generation, "consumer", "range", Map.of());
    }

    static SyncRequest leaderSync(String memberId, int generation, Map<String, byte[]> assignments) {
        return new SyncRequest(memberId, null, generation, "consumer", "range", assignments);
    }

    /** Version 0 of ConsumerProtocolSubscription: topics, null user data. */
    static byte[] subscription(String... topics) {
        int size = 2 + 4 + 4;
        for (String t : topics) {
            size += 2 + t.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort((short) 0);
        b.putInt(topics.length);
        for (String t : topics) {
            byte[] bytes = t.getBytes(StandardCharsets.UTF_8);
            b.putShort((short) bytes.length);
            b.put(bytes);
        }
        b.putInt(-1);
        return b.array();
    }

    /** Version 0 of ConsumerProtocolAssignment for one topic. */
    static byte[] assignment(String topic, int... partitions) {
        byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + 4 + 2 + name.length + 4 + 4 * partitions.length + 4);
        b.putShort((short) 0);
        b.putInt(1);
        b.putShort((short) name.length);
        b.put(name);
        b.putInt(partitions.length);
        for (int p : partitions) {
            b.putInt(p);
        }
        b.putInt(-1);
        return b.array();
    }

    static JoinResult answer(GroupEffects effects, ParkedCall call) {
        return effects.joinAnswer(call).orElseThrow(() -> new AssertionError("no JoinGroup answer for " + call
                + " in " + effects));
    }

    static SyncResult syncAnswer(GroupEffects effects, ParkedCall call) {
        return effects.syncAnswer(call).orElseThrow(() -> new AssertionError("no SyncGroup answer for " + call
                + " in " + effects));
    }

    static void assertNoAnswer(GroupEffects effects, ParkedCall call) {
        assertTrue(effects.joinAnswer(call).isEmpty() && effects.syncAnswer(call).isEmpty(),
                call + " must still be parked: " + effects);
    }

    static void assertError(ErrorCode expected, JoinResult result) {
        assertEquals(expected, result.error(), result.toString());
    }

    /** Ids of the members a leader's JoinGroup answer lists. */
    static List<String> memberIds(JoinResult leaderAnswer) {
        List<String> ids = new ArrayList<>();
        leaderAnswer.members().forEach(m -> ids.add(m.memberId()));
        return ids;
    }
}
