package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/**
 * Selects resource patterns (DescribeAcls, DeleteAcls): a type or ANY, a name or null for any, and a
 * pattern type that may be ANY or MATCH.
 */
public record ResourcePatternFilter(ResourceType resourceType, String name, PatternType patternType) {
    /** Every pattern. */
    public static final ResourcePatternFilter ANY = new ResourcePatternFilter(ResourceType.ANY, null, PatternType.ANY);

    public ResourcePatternFilter {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(patternType, "patternType");
    }

    /** Whether the type or the pattern type is one Kafka does not know (such a filter selects nothing). */
    public boolean isUnknown() {
        return resourceType == ResourceType.UNKNOWN || patternType == PatternType.UNKNOWN;
    }

    /**
     * Kafka's {@code ResourcePatternFilter.matches}: ANY selects every pattern type and compares names
     * exactly; MATCH selects the patterns that apply to the named resource (the literal name, the
     * {@code *} wildcard, and every prefix of the name); LITERAL and PREFIXED select that type only.
     */
    public boolean matches(ResourcePattern pattern) {
        if (resourceType != ResourceType.ANY && resourceType != pattern.resourceType()) {
            return false;
        }
        if (patternType != PatternType.ANY && patternType != PatternType.MATCH && patternType != pattern.patternType()) {
            return false;
        }
        if (name == null) {
            return true;
        }
        if (patternType == PatternType.ANY || patternType == pattern.patternType()) {
            return name.equals(pattern.name());
        }
        return switch (pattern.patternType()) {
            case LITERAL -> name.equals(pattern.name()) || pattern.name().equals(ResourcePattern.WILDCARD);
            case PREFIXED -> name.startsWith(pattern.name());
            default -> false; // a stored pattern is LITERAL or PREFIXED
        };
    }
}
