package dev.pgkafka.domain.group;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a classic group, named as Kafka names them in DescribeGroups and ListGroups.
 * A transition is only valid from the states {@link #validPrevious()} lists, as in Kafka.
 */
public enum GroupState {
    /** No members; offsets may still exist. */
    EMPTY("Empty"),
    /** Members are (re)joining; the join phase ends when all have joined or the rebalance timeout passes. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** The members have their JoinGroup answers; the leader's SyncGroup with the assignment is awaited. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has (or may fetch) its assignment for the current generation. */
    STABLE("Stable"),
    /** Deleted (or about to be): every request is turned away. */
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka uses on the wire, e.g. {@code PreparingRebalance}. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The states a group may enter this one from. */
    public Set<GroupState> validPrevious() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(STABLE, COMPLETING_REBALANCE, EMPTY);
            case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.of(STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD);
        };
    }

    /** The state Kafka names {@code name}, ignoring case (as ListGroups' state filter does). */
    public static Optional<GroupState> fromKafkaName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (GroupState s : values()) {
            if (s.kafkaName.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
