package dev.pgkafka.domain.quota;

/**
 * The quota that applies to a client for one key: the limit, the entity it was set for, and the
 * bucket whose use it limits.
 */
public record AppliedQuota(QuotaKey key, double limit, QuotaEntity entity, QuotaBucket bucket) {
}
