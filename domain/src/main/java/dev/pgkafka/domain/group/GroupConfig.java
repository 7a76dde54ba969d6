package dev.pgkafka.domain.group;

/**
 * The broker settings a group's state machine needs.
 *
 * @param initialRebalanceDelayMs Kafka's {@code group.initial.rebalance.delay.ms}: how long the first
 *                                rebalance of an empty group waits for more members (extended while
 *                                members keep arriving, up to the rebalance timeout)
 * @param newMemberJoinTimeoutMs  how long a new member's JoinGroup may wait for the join phase to
 *                                complete before the member is dropped (Kafka: 5 minutes)
 * @param maxSize                 Kafka's {@code group.max.size}: a new member of a group with this many
 *                                members (counting those yet to come back with their id) is refused
 */
public record GroupConfig(int initialRebalanceDelayMs, int newMemberJoinTimeoutMs, int maxSize) {
    public static final int KAFKA_INITIAL_REBALANCE_DELAY_MS = 3000;
    public static final int KAFKA_NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

    public GroupConfig {
        if (initialRebalanceDelayMs < 0 || newMemberJoinTimeoutMs < 0) {
            throw new IllegalArgumentException("group timeouts cannot be negative");
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("group.max.size must be at least 1");
        }
    }

    /** Without a size limit (Kafka's default {@code group.max.size}). */
    public GroupConfig(int initialRebalanceDelayMs, int newMemberJoinTimeoutMs) {
        this(initialRebalanceDelayMs, newMemberJoinTimeoutMs, Integer.MAX_VALUE);
    }

    public static GroupConfig kafkaDefaults() {
        return new GroupConfig(KAFKA_INITIAL_REBALANCE_DELAY_MS, KAFKA_NEW_MEMBER_JOIN_TIMEOUT_MS);
    }
}
