package dev.pgkafka.domain.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Kafka's state names and which transitions are allowed. */
class GroupStateTest {

    @Test
    void namesAreKafkasAndFoundIgnoringCase() {
        assertEquals("PreparingRebalance", GroupState.PREPARING_REBALANCE.kafkaName());
        assertEquals(Optional.of(GroupState.STABLE), GroupState.fromKafkaName("stable"));
        assertEquals(Optional.of(GroupState.COMPLETING_REBALANCE), GroupState.fromKafkaName("COMPLETINGREBALANCE"));
        assertEquals(Optional.empty(), GroupState.fromKafkaName("bogus"));
    }

    @Test
    void transitionsFollowKafka() {
        assertTrue(GroupState.STABLE.validPrevious().contains(GroupState.COMPLETING_REBALANCE));
        assertEquals(1, GroupState.STABLE.validPrevious().size());
        assertTrue(GroupState.PREPARING_REBALANCE.validPrevious().contains(GroupState.EMPTY));
        assertTrue(GroupState.DEAD.validPrevious().contains(GroupState.DEAD));
        assertEquals(1, GroupState.EMPTY.validPrevious().size());
    }
}
