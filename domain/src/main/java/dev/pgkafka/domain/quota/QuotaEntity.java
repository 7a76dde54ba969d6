package dev.pgkafka.domain.quota;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a quota is set for: a user, a client id, both, or an IP address, each by name or as the
 * default ({@code <default>} in Kafka's tools; a null name here and on the wire). Kafka's
 * {@code ClientQuotaEntity}, whose entries map a type to a name.
 *
 * @param names each type the entity names, to its name; null stands for the type's default
 */
public record QuotaEntity(Map<QuotaEntityType, String> names) {

    public QuotaEntity {
        Objects.requireNonNull(names, "names");
        // EnumMap keeps the types in one order and, unlike Map.copyOf, holds the null of a default
        EnumMap<QuotaEntityType, String> copy = new EnumMap<>(QuotaEntityType.class);
        copy.putAll(names);
        names = Collections.unmodifiableMap(copy);
    }

    /** A user's quota; {@code name} null for every user's default. */
    public static QuotaEntity user(String name) {
        return of(QuotaEntityType.USER, name);
    }

    /** A client id's quota; {@code name} null for every client id's default. */
    public static QuotaEntity clientId(String name) {
        return of(QuotaEntityType.CLIENT_ID, name);
    }

    /** The quota of a client id of a user (either name null for the default). */
    public static QuotaEntity userAndClientId(String user, String clientId) {
        EnumMap<QuotaEntityType, String> m = new EnumMap<>(QuotaEntityType.class);
        m.put(QuotaEntityType.USER, user);
        m.put(QuotaEntityType.CLIENT_ID, clientId);
        return new QuotaEntity(m);
    }

    /** An IP address's quota; {@code address} null for every address's default. */
    public static QuotaEntity ip(String address) {
        return of(QuotaEntityType.IP, address);
    }

    private static QuotaEntity of(QuotaEntityType type, String name) {
        EnumMap<QuotaEntityType, String> m = new EnumMap<>(QuotaEntityType.class);
        m.put(type, name);
        return new QuotaEntity(m);
    }

    public boolean has(QuotaEntityType type) {
        return names.containsKey(type);
    }

    /** The name for {@code type}: null for the default, and for a type the entity does not name. */
    public String name(QuotaEntityType type) {
        return names.get(type);
    }

    public Set<QuotaEntityType> types() {
        return names.keySet();
    }

    /** Whether this is an IP address's quota (which never combines with users or client ids). */
    public boolean isIp() {
        return names.containsKey(QuotaEntityType.IP);
    }

    /** Kafka's wording, as its messages print an entity: {@code ClientQuotaEntity(entries={user=alice})}. */
    @Override
    public String toString() {
        StringJoiner entries = new StringJoiner(", ", "{", "}");
        names.forEach((type, name) -> entries.add(type.kafkaName() + "=" + name));
        return "ClientQuotaEntity(entries=" + entries + ")";
    }
}
