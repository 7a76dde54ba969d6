package dev.pgkafka.domain.quota;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * AlterClientQuotas decided as Kafka's controller decides it ({@code ClientQuotaControlManager}): each
 * entity is checked on its own and answered once; the valid ones' changes are applied together.
 */
public final class QuotaAlterations {

    private QuotaAlterations() {
    }

    /**
     * One entity's alteration as the request gives it.
     *
     * @param entity entity type to name (null for the default), as the request names them: a type given
     *               twice keeps its last name, as Kafka's request parsing does
     * @param ops the keys to set or remove, in order
     */
    public record Alteration(Map<String, String> entity, List<Op> ops) {
        public Alteration {
            entity = Collections.unmodifiableMap(new LinkedHashMap<>(entity));
            ops = List.copyOf(ops);
        }

        String describe() {
            StringBuilder s = new StringBuilder("ClientQuotaEntity(entries={");
            String sep = "";
            for (Map.Entry<String, String> e : entity.entrySet()) {
                s.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ", ";
            }
            return s.append("})").toString();
        }
    }

    /** Set {@code key} to {@code value}, or remove it when {@code remove}. */
    public record Op(String key, double value, boolean remove) {
        public Op {
            Objects.requireNonNull(key, "key");
        }

        public static Op set(String key, double value) {
            return new Op(key, value, false);
        }

        public static Op remove(String key) {
            return new Op(key, 0, true);
        }
    }

    /** The answer for one entity of the request: the entity as asked, and the problem (null: done). */
    public record Outcome(Map<String, String> entity, QuotaProblem problem) {
        public boolean isSuccess() {
            return problem == null;
        }
    }

    /**
     * What to answer and what to change.
     *
     * @param outcomes one per distinct entity of the request, in the order they first appear
     * @param changes per entity, the keys to set (a value) or to remove (null); only real changes
     */
    public record Plan(List<Outcome> outcomes, Map<QuotaEntity, Map<QuotaKey, Double>> changes) {
    }

    /**
     * Decides a request against the current quotas.
     *
     * <p>Kafka's rules: an entity needs at least one type, every type known (user, client-id, ip) and no
     * empty name; ip is never combined with user or client-id and must be an IP address or a host name
     * that resolves; each value set must be for a key of that kind of entity, above 0, and whole for the
     * integral keys (byte rates, connection rate); removing a key that is not set, or setting the value it
     * has, changes nothing. An entity that appears twice, or that names a key twice, is answered
     * "Ignoring duplicate entity" (the first appearance's changes still count, as in Kafka 4.3.1).
     *
     * @param resolvable whether a host name of an ip entity resolves (Kafka asks DNS)
     */
    public static Plan plan(ClientQuotas current, List<Alteration> alterations, Predicate<String> resolvable) {
        Map<Map<String, String>, QuotaProblem> results = new LinkedHashMap<>();
        Map<QuotaEntity, Map<QuotaKey, Double>> changes = new LinkedHashMap<>();
        for (Alteration a : alterations) {
            Map<String, Double> ops = new LinkedHashMap<>();
            boolean duplicateKey = false;
            for (Op op : a.ops()) {
                if (ops.containsKey(op.key())) {
                    duplicateKey = true;
                } else {
                    ops.put(op.key(), op.remove() ? null : op.value());
                }
            }
            if (duplicateKey || results.containsKey(a.entity())) {
                // Kafka records "Duplicate quota key ..." first and then overwrites it with this message
                results.put(a.entity(), QuotaProblem.invalidRequest("Ignoring duplicate entity " + a.describe()));
                continue;
            }
            results.put(a.entity(), planEntity(current, a.entity(), ops, resolvable, changes));
        }
        List<Outcome> outcomes = new ArrayList<>(results.size());
        results.forEach((entity, problem) -> outcomes.add(new Outcome(entity, problem)));
        return new Plan(List.copyOf(outcomes), changes);
    }

    private static QuotaProblem planEntity(ClientQuotas current, Map<String, String> raw, Map<String, Double> ops,
                                           Predicate<String> resolvable, Map<QuotaEntity, Map<QuotaKey, Double>> changes) {
        if (raw.isEmpty()) {
            return QuotaProblem.invalidRequest("Invalid empty client quota entity");
        }
        EnumMap<QuotaEntityType, String> names = new EnumMap<>(QuotaEntityType.class);
        for (Map.Entry<String, String> e : raw.entrySet()) {
            QuotaEntityType type = QuotaEntityType.fromKafkaName(e.getKey()).orElse(null);
            if (type == null) {
                return QuotaProblem.invalidRequest("Unhandled client quota entity type: " + e.getKey());
            }
            names.put(type, e.getValue());
            if (e.getValue() != null && e.getValue().isEmpty()) {
                return QuotaProblem.invalidRequest("Empty " + e.getKey() + " not supported");
            }
        }
        QuotaEntity entity = new QuotaEntity(names);
        if (entity.isIp()) {
            if (entity.has(QuotaEntityType.USER) || entity.has(QuotaEntityType.CLIENT_ID)) {
                // sic: Kafka's message lacks the space
                return QuotaProblem.invalidRequest("Invalid quota entity combination, IP entity should"
                        + "not be combined with User or ClientId");
            }
            String ip = entity.name(QuotaEntityType.IP);
            if (ip != null && !resolvable.test(ip)) {
                return QuotaProblem.invalidRequest(ip + " is not a valid IP or resolvable host.");
            }
        }
        Map<QuotaKey, Double> have = current.valuesOf(entity);
        Map<QuotaKey, Double> entityChanges = new EnumMap<>(QuotaKey.class);
        for (Map.Entry<String, Double> op : ops.entrySet()) {
            QuotaKey key = QuotaKey.fromKafkaName(op.getKey()).orElse(null);
            Double value = op.getValue();
            if (value == null) {
                // removing a key that is not set (or not even a key) is no change, and no error
                if (key != null && have.containsKey(key)) {
                    entityChanges.put(key, null);
                }
                continue;
            }
            QuotaProblem problem = checkValue(entity, op.getKey(), key, value);
            if (problem != null) {
                return problem;
            }
            if (!value.equals(have.get(key))) {
                entityChanges.put(key, value);
            }
        }
        if (!entityChanges.isEmpty()) {
            changes.put(entity, entityChanges);
        }
        return null;
    }

    /** Kafka's {@code validateQuotaKeyValue}, with its messages. */
    private static QuotaProblem checkValue(QuotaEntity entity, String name, QuotaKey key, double value) {
        if (key == null || key.forIp() != entity.isIp()) {
            return QuotaProblem.invalidRequest("Invalid configuration key " + name);
        }
        if (value <= 0.0) {
            return QuotaProblem.invalidRequest("Quota " + name + " must be greater than 0");
        }
        return switch (key.type()) {
            case DOUBLE -> null;
            case INT -> value > Integer.MAX_VALUE
                    ? QuotaProblem.invalidRequest("Proposed value for " + name + " is too large for an INT.")
                    : wholeNumber(name, value);
            case LONG -> value > Long.MAX_VALUE
                    ? QuotaProblem.invalidRequest("Proposed value for " + name + " is too large for a LONG.")
                    : wholeNumber(name, value);
        };
    }

    private static QuotaProblem wholeNumber(String name, double value) {
        return Math.abs(value % 1.0) > 1e-6 ? QuotaProblem.invalidRequest(name + " cannot be a fractional value.") : null;
    }

    /** The quotas after the changes of a plan. */
    public static ClientQuotas apply(ClientQuotas current, Map<QuotaEntity, Map<QuotaKey, Double>> changes) {
        Map<QuotaEntity, Map<QuotaKey, Double>> next = new LinkedHashMap<>();
        current.entities().forEach((e, v) -> next.put(e, new EnumMap<>(v)));
        changes.forEach((entity, values) -> {
            Map<QuotaKey, Double> target = next.computeIfAbsent(entity, e -> new EnumMap<>(QuotaKey.class));
            values.forEach((k, v) -> {
                if (v == null) {
                    target.remove(k);
                } else {
                    target.put(k, v);
                }
            });
        });
        return ClientQuotas.of(next);
    }
}
