package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/** The resources an ACL applies to: a type, a name (or {@code *}) and how the name matches. */
public record ResourcePattern(ResourceType resourceType, String name, PatternType patternType) {
    /** A LITERAL name that matches every resource of the type. */
    public static final String WILDCARD = "*";

    public ResourcePattern {
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(patternType, "patternType");
    }
}
