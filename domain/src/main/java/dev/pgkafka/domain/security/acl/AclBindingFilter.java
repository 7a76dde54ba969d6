package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/** Selects ACLs by pattern and entry (Kafka's {@code AclBindingFilter}). */
public record AclBindingFilter(ResourcePatternFilter patternFilter, AccessControlEntryFilter entryFilter) {
    public AclBindingFilter {
        Objects.requireNonNull(patternFilter, "patternFilter");
        Objects.requireNonNull(entryFilter, "entryFilter");
    }
}
