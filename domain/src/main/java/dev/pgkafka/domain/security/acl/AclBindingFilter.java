package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/** Selects ACLs by pattern and entry (Kafka's {@code AclBindingFilter}). */
public record AclBindingFilter(ResourcePatternFilter patternFilter, AccessControlEntryFilter entryFilter) {
    /** Every ACL. */
    public static final AclBindingFilter ANY = new AclBindingFilter(ResourcePatternFilter.ANY, AccessControlEntryFilter.ANY);

    public AclBindingFilter {
        Objects.requireNonNull(patternFilter, "patternFilter");
        Objects.requireNonNull(entryFilter, "entryFilter");
    }

    public boolean matches(AclBinding binding) {
        return patternFilter.matches(binding.pattern()) && entryFilter.matches(binding.entry());
    }
}
