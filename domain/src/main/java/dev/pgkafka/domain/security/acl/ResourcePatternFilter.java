package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/**
 * Selects resource patterns (DescribeAcls, DeleteAcls): a type or ANY, a name or null for any, and a
 * pattern type that may be ANY or MATCH.
 */
public record ResourcePatternFilter(ResourceType resourceType, String name, PatternType patternType) {
    public ResourcePatternFilter {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(patternType, "patternType");
    }
}
