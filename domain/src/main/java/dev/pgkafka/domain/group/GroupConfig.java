package dev.pgkafka.domain.group;

/**
 * The broker settings a group's state machine needs.
 *
 * @param initialRebalanceDelayMs Kafka's {@code group.initial.rebalance.delay.ms}: how long the first
 *                                rebalance of an empty group waits for more members (extended while
 *                                members keep arriving, up to the rebalance timeout)
 * @param newMemberJoinTimeoutMs  how long a new member's JoinGroup may wait for the join phase to
 *                                complete before the member is dropped (Kafka: 5 minutes)
 */
public record GroupConfig(int initialRebalanceDelayMs, int newMemberJoinTimeoutMs) {
    public static final int KAFKA_INITIAL_REBALANCE_DELAY_MS = 3000;
    public static final int KAFKA_NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000;

    public GroupConfig {
        if (initialRebalanceDelayMs < 0 || newMemberJoinTimeoutMs < 0) {
            throw new IllegalArgumentException("group timeouts cannot be negative");
        }
    }

    public static GroupConfig kafkaDefaults() {
        return new GroupConfig(KAFKA_INITIAL_REBALANCE_DELAY_MS, KAFKA_NEW_MEMBER_JOIN_TIMEOUT_MS);
    }
}
