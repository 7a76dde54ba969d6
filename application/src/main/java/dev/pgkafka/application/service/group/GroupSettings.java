package dev.pgkafka.application.service.group;

import java.time.Duration;

import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.group.GroupConfig;

/**
 * The broker's group coordinator settings, named after Kafka's.
 *
 * @param initialRebalanceDelayMs         {@code group.initial.rebalance.delay.ms}
 * @param minSessionTimeoutMs             {@code group.min.session.timeout.ms}: shorter sessions get INVALID_SESSION_TIMEOUT
 * @param maxSessionTimeoutMs             {@code group.max.session.timeout.ms}
 * @param offsetsRetentionMs              {@code offsets.retention.minutes}, in milliseconds
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
 * @param newMemberJoinTimeoutMs          how long a new member may wait in a join phase (Kafka: 5 minutes)
 * @param offsetMetadataMaxBytes          {@code offset.metadata.max.bytes}
 * @param maxSize                         {@code group.max.size}: more members answer GROUP_MAX_SIZE_REACHED
 * @param maxGroups                       {@code pgkafka.groups.max} (ours; Kafka has no such limit): the most groups
 *                                        of any type (classic, consumer, offsets only); a request that would
 *                                        create one more answers GROUP_MAX_SIZE_REACHED
 */
public record GroupSettings(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                            long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs, int newMemberJoinTimeoutMs,
                            int offsetMetadataMaxBytes, int maxSize, int maxGroups) {
    public static final int DEFAULT_MIN_SESSION_TIMEOUT_MS = 6_000;
    public static final int DEFAULT_MAX_SESSION_TIMEOUT_MS = 1_800_000;
    public static final long DEFAULT_OFFSETS_RETENTION_MINUTES = 7 * 24 * 60;
    public static final long DEFAULT_RETENTION_CHECK_INTERVAL_MS = 600_000;
    /** {@code pgkafka.groups.max}'s default: far above what applications use, bounded memory (ADR 19). */
    public static final int DEFAULT_MAX_GROUPS = 100_000;

    public GroupSettings {
        if (initialRebalanceDelayMs < 0 || minSessionTimeoutMs < 0 || newMemberJoinTimeoutMs < 0
                || offsetMetadataMaxBytes < 0) {
            throw new IllegalArgumentException("group settings cannot be negative");
        }
        if (maxSessionTimeoutMs < minSessionTimeoutMs) {
            throw new IllegalArgumentException("the maximum session timeout " + maxSessionTimeoutMs
                    + " is below the minimum " + minSessionTimeoutMs);
        }
        if (maxSize < 1) {
            throw new IllegalArgumentException("group.max.size must be at least 1");
        }
        if (maxGroups < 1) {
            throw new IllegalArgumentException("pgkafka.groups.max must be at least 1");
        }
        if (offsetsRetentionMs < 1 || offsetsRetentionCheckIntervalMs < 1) {
            throw new IllegalArgumentException("offset retention and its check interval must be positive");
        }
    }

    /** Kafka's defaults, and {@value #DEFAULT_MAX_GROUPS} groups at most. */
    public static GroupSettings defaults() {
        return new GroupSettings(GroupConfig.KAFKA_INITIAL_REBALANCE_DELAY_MS, DEFAULT_MIN_SESSION_TIMEOUT_MS,
                DEFAULT_MAX_SESSION_TIMEOUT_MS, Duration.ofMinutes(DEFAULT_OFFSETS_RETENTION_MINUTES).toMillis(),
                DEFAULT_RETENTION_CHECK_INTERVAL_MS, GroupConfig.KAFKA_NEW_MEMBER_JOIN_TIMEOUT_MS,
                CommittedOffset.MAX_METADATA_LENGTH, Integer.MAX_VALUE, DEFAULT_MAX_GROUPS);
    }

    public GroupSettings withInitialRebalanceDelayMs(int delayMs) {
        return new GroupSettings(delayMs, minSessionTimeoutMs, maxSessionTimeoutMs, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, newMemberJoinTimeoutMs, offsetMetadataMaxBytes, maxSize, maxGroups);
    }

    public GroupSettings withSessionTimeoutBounds(int minMs, int maxMs) {
        return new GroupSettings(initialRebalanceDelayMs, minMs, maxMs, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, newMemberJoinTimeoutMs, offsetMetadataMaxBytes, maxSize, maxGroups);
    }

    public GroupSettings withOffsetsRetentionMs(long retentionMs) {
        return new GroupSettings(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, retentionMs,
                offsetsRetentionCheckIntervalMs, newMemberJoinTimeoutMs, offsetMetadataMaxBytes, maxSize, maxGroups);
    }

    /** These settings with another {@code group.max.size}. */
    public GroupSettings withMaxSize(int size) {
        return new GroupSettings(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, newMemberJoinTimeoutMs, offsetMetadataMaxBytes, size, maxGroups);
    }

    /** These settings with another {@code pgkafka.groups.max}. */
    public GroupSettings withMaxGroups(int groups) {
        return new GroupSettings(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, offsetsRetentionMs,
                offsetsRetentionCheckIntervalMs, newMemberJoinTimeoutMs, offsetMetadataMaxBytes, maxSize, groups);
    }

    GroupConfig groupConfig() {
        return new GroupConfig(initialRebalanceDelayMs, newMemberJoinTimeoutMs, maxSize);
    }
}
