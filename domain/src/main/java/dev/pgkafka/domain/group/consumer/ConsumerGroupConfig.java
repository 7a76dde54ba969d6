package dev.pgkafka.domain.group.consumer;

/**
 * The broker's settings for consumer groups, under Kafka's names.
 *
 * @param sessionTimeoutMs    {@code group.consumer.session.timeout.ms}: a member that does not heartbeat for
 *                            this long is removed
 * @param heartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms}: how often members are told to heartbeat
 * @param maxSize             {@code group.consumer.max.size}: more members answer GROUP_MAX_SIZE_REACHED
 */
public record ConsumerGroupConfig(int sessionTimeoutMs, int heartbeatIntervalMs, int maxSize) {
    /** Kafka's defaults: 45 s sessions, 5 s heartbeats, no size limit. */
    public static final ConsumerGroupConfig DEFAULTS = new ConsumerGroupConfig(45_000, 5_000, Integer.MAX_VALUE);

    public ConsumerGroupConfig {
        if (sessionTimeoutMs <= 0 || heartbeatIntervalMs <= 0 || maxSize <= 0) {
            throw new IllegalArgumentException("consumer group settings must be positive");
        }
        if (heartbeatIntervalMs >= sessionTimeoutMs) {
            throw new IllegalArgumentException("group.consumer.heartbeat.interval.ms must be lower than "
                    + "group.consumer.session.timeout.ms");
        }
    }
}
