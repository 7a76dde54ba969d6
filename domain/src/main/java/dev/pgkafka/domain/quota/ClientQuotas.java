package dev.pgkafka.domain.quota;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The client quotas of the cluster at one moment, and which of them applies to a client, with Kafka's
 * precedence (KIP-55, {@code ClientQuotaManager}'s default callback). Immutable.
 *
 * <p>For one key, the first entity that has a value for that key applies, in this order:
 * <ol>
 *   <li>{@code /users/<user>/clients/<client-id>}</li>
 *   <li>{@code /users/<user>/clients/<default>}</li>
 *   <li>{@code /users/<user>}</li>
 *   <li>{@code /users/<default>/clients/<client-id>}</li>
 *   <li>{@code /users/<default>/clients/<default>}</li>
 *   <li>{@code /users/<default>}</li>
 *   <li>{@code /clients/<client-id>}</li>
 *   <li>{@code /clients/<default>}</li>
 * </ol>
 * Each key is resolved on its own: a user's {@code consumer_byte_rate} does not hide a client id's
 * {@code producer_byte_rate}. IP addresses have their own quota ({@code connection_creation_rate}):
 * {@code /ips/<ip>}, else {@code /ips/<default>}.
 */
public final class ClientQuotas {
    public static final ClientQuotas EMPTY = new ClientQuotas(Map.of());

    private final Map<QuotaEntity, Map<QuotaKey, Double>> entities;
    private final Map<QuotaKey, Map<QuotaEntity, Double>> byKey;

    private ClientQuotas(Map<QuotaEntity, Map<QuotaKey, Double>> entities) {
        this.entities = entities;
        Map<QuotaKey, Map<QuotaEntity, Double>> keys = new EnumMap<>(QuotaKey.class);
        entities.forEach((entity, values) -> values.forEach((key, value) ->
                keys.computeIfAbsent(key, k -> new HashMap<>()).put(entity, value)));
        this.byKey = keys;
    }

    /** The quotas given, per entity per key (entities without values are left out). */
    public static ClientQuotas of(Map<QuotaEntity, Map<QuotaKey, Double>> quotas) {
        Map<QuotaEntity, Map<QuotaKey, Double>> copy = new LinkedHashMap<>();
        quotas.forEach((entity, values) -> {
            Objects.requireNonNull(entity, "entity");
            if (!values.isEmpty()) {
                EnumMap<QuotaKey, Double> v = new EnumMap<>(QuotaKey.class);
                values.forEach((k, d) -> v.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(d, "value")));
                copy.put(entity, Collections.unmodifiableMap(v));
            }
        });
        return new ClientQuotas(Collections.unmodifiableMap(copy));
    }

    /** One stored value. */
    public record Value(QuotaEntity entity, QuotaKey key, double value) {
    }

    /** The quotas of a list of stored values (a later value for the same entity and key wins). */
    public static ClientQuotas ofValues(List<Value> values) {
        Map<QuotaEntity, Map<QuotaKey, Double>> m = new LinkedHashMap<>();
        for (Value v : values) {
            m.computeIfAbsent(v.entity(), e -> new EnumMap<>(QuotaKey.class)).put(v.key(), v.value());
        }
        return of(m);
    }

    /** Every entity that has a value, with its values. */
    public Map<QuotaEntity, Map<QuotaKey, Double>> entities() {
        return entities;
    }

    public boolean isEmpty() {
        return entities.isEmpty();
    }

    /** Whether any entity has a value for this key (else nobody is limited by it). */
    public boolean hasAny(QuotaKey key) {
        return byKey.containsKey(key);
    }

    /** The values of one entity (empty when it has none). */
    public Map<QuotaKey, Double> valuesOf(QuotaEntity entity) {
        return entities.getOrDefault(entity, Map.of());
    }

    /**
     * The quota of {@code key} for a client: its limit, the entity it was set for and the bucket its
     * use is counted in; empty when no quota applies.
     *
     * @param user the principal's name ({@code alice}, {@code ANONYMOUS})
     * @param clientId the client id of the request header ("" when the client sent none)
     */
    public Optional<AppliedQuota> resolve(QuotaKey key, String user, String clientId) {
        Map<QuotaEntity, Double> quotas = byKey.get(key);
        if (quotas == null) {
            return Optional.empty();
        }
        QuotaBucket bucket = bucket(quotas, user, clientId == null ? "" : clientId);
        return limit(quotas, key, bucket);
    }

    /**
     * Kafka's {@code quotaMetricTags}: the bucket is decided by the most precise level that has a
     * value; levels 1, 2, 4 and 5 count per user and client id, 3 and 6 per user, 7 and 8 per client id.
     */
    private static QuotaBucket bucket(Map<QuotaEntity, Double> quotas, String user, String clientId) {
        if (quotas.containsKey(QuotaEntity.userAndClientId(user, clientId))
                || quotas.containsKey(QuotaEntity.userAndClientId(user, null))) {
            return new QuotaBucket(user, clientId);
        }
        if (quotas.containsKey(QuotaEntity.user(user))) {
            return new QuotaBucket(user, "");
        }
        if (quotas.containsKey(QuotaEntity.userAndClientId(null, clientId))
                || quotas.containsKey(QuotaEntity.userAndClientId(null, null))) {
            return new QuotaBucket(user, clientId);
        }
        if (quotas.containsKey(QuotaEntity.user(null))) {
            return new QuotaBucket(user, "");
        }
        return new QuotaBucket("", clientId);
    }

    /**
     * Kafka's {@code quotaLimit}: the limit of a bucket, looked up from the bucket's own parts, so a
     * client sending no client id is never limited by a per-client-id quota of its user.
     */
    private static Optional<AppliedQuota> limit(Map<QuotaEntity, Double> quotas, QuotaKey key, QuotaBucket bucket) {
        List<QuotaEntity> candidates;
        if (!bucket.user().isEmpty() && !bucket.clientId().isEmpty()) {
            candidates = List.of(QuotaEntity.userAndClientId(bucket.user(), bucket.clientId()),
                    QuotaEntity.userAndClientId(bucket.user(), null),
                    QuotaEntity.userAndClientId(null, bucket.clientId()),
                    QuotaEntity.userAndClientId(null, null));
        } else if (!bucket.user().isEmpty()) {
            candidates = List.of(QuotaEntity.user(bucket.user()), QuotaEntity.user(null));
        } else if (!bucket.clientId().isEmpty()) {
            candidates = List.of(QuotaEntity.clientId(bucket.clientId()), QuotaEntity.clientId(null));
        } else {
            candidates = List.of();
        }
        for (QuotaEntity candidate : candidates) {
            Double limit = quotas.get(candidate);
            if (limit != null) {
                return Optional.of(new AppliedQuota(key, limit, candidate, bucket));
            }
        }
        return Optional.empty();
    }

    /** {@code connection_creation_rate} for an address: its own, else the IP default; empty when unlimited. */
    public OptionalDouble connectionCreationRate(String address) {
        Map<QuotaEntity, Double> quotas = byKey.get(QuotaKey.CONNECTION_CREATION_RATE);
        if (quotas == null) {
            return OptionalDouble.empty();
        }
        Double own = quotas.get(QuotaEntity.ip(address));
        Double rate = own != null ? own : quotas.get(QuotaEntity.ip(null));
        return rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate);
    }

    /** The entities the filter selects, with their values (DescribeClientQuotas). */
    public List<Map.Entry<QuotaEntity, Map<QuotaKey, Double>>> select(QuotaFilter filter) {
        List<Map.Entry<QuotaEntity, Map<QuotaKey, Double>>> out = new ArrayList<>();
        entities.forEach((entity, values) -> {
            if (filter.matches(entity)) {
                out.add(Map.entry(entity, values));
            }
        });
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientQuotas other && entities.equals(other.entities);
    }

    @Override
    public int hashCode() {
        return entities.hashCode();
    }

    @Override
    public String toString() {
        return "ClientQuotas" + entities;
    }
}
