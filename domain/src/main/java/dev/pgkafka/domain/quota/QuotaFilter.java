package dev.pgkafka.domain.quota;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * Which entities a DescribeClientQuotas selects, as Kafka's {@code ClientQuotasImage.describe}
 * decides: each component names an entity type and matches an exact name, the default, or any name
 * the entity specifies for that type; a strict filter also excludes entities naming other types.
 * No component and not strict selects every entity.
 */
public final class QuotaFilter {
    /** Kafka's match types on the wire ({@code DescribeClientQuotasRequest.MATCH_TYPE_*}). */
    public static final int MATCH_EXACT = 0;
    public static final int MATCH_DEFAULT = 1;
    public static final int MATCH_SPECIFIED = 2;

    /** Selects every entity. */
    public static final QuotaFilter ALL = new QuotaFilter(Map.of(), Set.of(), false);

    /** One component as the request gives it; {@code match} null where the match type needs none. */
    public record Component(String entityType, int matchType, String match) {
    }

    /** A valid filter, or Kafka's refusal of the whole request. */
    public record Parsed(QuotaFilter filter, QuotaProblem problem) {
        public boolean isValid() {
            return problem == null;
        }
    }

    private final Map<QuotaEntityType, String> exact; // null value: the default
    private final Set<QuotaEntityType> specified;
    private final boolean strict;

    private QuotaFilter(Map<QuotaEntityType, String> exact, Set<QuotaEntityType> specified, boolean strict) {
        this.exact = exact;
        this.specified = specified;
        this.strict = strict;
    }

    /**
     * Checks the components in order as Kafka does: an empty type, a type given twice, an unknown type
     * (UNSUPPORTED_VERSION, Kafka's answer for custom entity types), a match string where the match type
     * wants none or none where it wants one, an unknown match type; then an IP component beside a user or
     * client-id one.
     */
    public static Parsed parse(List<Component> components, boolean strict) {
        EnumMap<QuotaEntityType, String> exact = new EnumMap<>(QuotaEntityType.class);
        Set<QuotaEntityType> specified = EnumSet.noneOf(QuotaEntityType.class);
        Set<String> seen = new HashSet<>();
        for (Component c : components) {
            String type = c.entityType();
            if (type == null || type.isEmpty()) {
                return refused(ErrorCode.INVALID_REQUEST, "Invalid empty entity type.");
            }
            if (!seen.add(type)) {
                return refused(ErrorCode.INVALID_REQUEST,
                        "Entity type " + type + " cannot appear more than once in the filter.");
            }
            QuotaEntityType known = QuotaEntityType.fromKafkaName(type).orElse(null);
            if (known == null) {
                return refused(ErrorCode.UNSUPPORTED_VERSION, "Unsupported entity type " + type);
            }
            switch (c.matchType()) {
                case MATCH_EXACT -> {
                    if (c.match() == null) {
                        return refused(ErrorCode.INVALID_REQUEST,
                                "Request specified MATCH_TYPE_EXACT, but set match string to null.");
                    }
                    exact.put(known, c.match());
                }
                case MATCH_DEFAULT -> {
                    if (c.match() != null) {
                        return refused(ErrorCode.INVALID_REQUEST,
                                "Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
                    }
                    exact.put(known, null);
                }
                case MATCH_SPECIFIED -> {
                    if (c.match() != null) {
                        return refused(ErrorCode.INVALID_REQUEST,
                                "Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.");
                    }
                    specified.add(known);
                }
                default -> {
                    return refused(ErrorCode.INVALID_REQUEST, "Unknown match type " + c.matchType());
                }
            }
        }
        boolean ip = exact.containsKey(QuotaEntityType.IP) || specified.contains(QuotaEntityType.IP);
        boolean userOrClient = exact.containsKey(QuotaEntityType.USER) || specified.contains(QuotaEntityType.USER)
                || exact.containsKey(QuotaEntityType.CLIENT_ID) || specified.contains(QuotaEntityType.CLIENT_ID);
        if (ip && userOrClient) {
            return refused(ErrorCode.INVALID_REQUEST, "Invalid entity filter component combination. IP filter "
                    + "component should not be used with user or clientId filter component.");
        }
        return new Parsed(new QuotaFilter(Collections.unmodifiableMap(exact), Collections.unmodifiableSet(specified),
                strict), null);
    }

    private static Parsed refused(ErrorCode error, String message) {
        return new Parsed(null, new QuotaProblem(error, message));
    }

    /** Whether the entity is selected. */
    public boolean matches(QuotaEntity entity) {
        if (strict && entity.types().size() != exact.size() + specified.size()) {
            return false;
        }
        for (Map.Entry<QuotaEntityType, String> e : exact.entrySet()) {
            if (!entity.has(e.getKey()) || !Objects.equals(entity.name(e.getKey()), e.getValue())) {
                return false;
            }
        }
        for (QuotaEntityType type : specified) {
            if (!entity.has(type)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "QuotaFilter(exact=" + exact + ", specified=" + specified + ", strict=" + strict + ")";
    }
}
