package dev.pgkafka.domain.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Reading the consumer protocol's subscription and assignment, and refusing what is not one. */
class ConsumerProtocolTest {

    @Test
    void subscribedTopicsAreReadFromTheVersion0Prefix() {
        assertEquals(List.of("orders", "payments"),
                ConsumerProtocol.subscribedTopics(GroupFixtures.subscription("orders", "payments")));
        assertEquals(List.of(), ConsumerProtocol.subscribedTopics(GroupFixtures.subscription()));
    }

    @Test
    void laterVersionsWithMoreFieldsAreReadToo() {
        byte[] v0 = GroupFixtures.subscription("t");
        ByteBuffer v3 = ByteBuffer.allocate(v0.length + 16);
        v3.put(v0);
        v3.putShort(0, (short) 3);
        v3.putInt(0); // owned partitions
        v3.putInt(7); // generation
        v3.putShort((short) -1); // rack
        assertEquals(List.of("t"), ConsumerProtocol.subscribedTopics(v3.array()));
    }

    @Test
    void bytesThatAreNoSubscriptionAreRefused() {
        assertNull(ConsumerProtocol.subscribedTopics(new byte[0]));
        assertNull(ConsumerProtocol.subscribedTopics(new byte[] {0, 0, 0, 0, 0, 5}));
        assertNull(ConsumerProtocol.subscribedTopics(new byte[] {-1, -1, 0, 0, 0, 0}));
        assertNull(ConsumerProtocol.subscribedTopics(new byte[] {0, 0, 0x7f, 0, 0, 0}));
    }

    @Test
    void assignedPartitionsAreRead() {
        assertEquals(Map.of("t", List.of(0, 3)), ConsumerProtocol.assignedPartitions(GroupFixtures.assignment("t", 0, 3)));
        assertNull(ConsumerProtocol.assignedPartitions(new byte[] {0, 0, 0, 0, 0, 1, 0, 9}));
        assertNull(ConsumerProtocol.assignedPartitions(new byte[0]));
    }
}
