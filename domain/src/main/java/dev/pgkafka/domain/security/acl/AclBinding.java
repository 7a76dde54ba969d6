package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/** One ACL: an entry bound to a resource pattern (Kafka's {@code AclBinding}). */
public record AclBinding(ResourcePattern pattern, AccessControlEntry entry) {
    public AclBinding {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(entry, "entry");
    }
}
