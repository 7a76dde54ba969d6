package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/** Selects entries (DescribeAcls, DeleteAcls): null principal or host match any; ANY operation and permission too. */
public record AccessControlEntryFilter(String principal, String host, AclOperation operation,
                                       AclPermissionType permission) {
    /** Every entry. */
    public static final AccessControlEntryFilter ANY =
            new AccessControlEntryFilter(null, null, AclOperation.ANY, AclPermissionType.ANY);

    public AccessControlEntryFilter {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
    }

    /** Whether the operation or the permission is one Kafka does not know. */
    public boolean isUnknown() {
        return operation == AclOperation.UNKNOWN || permission == AclPermissionType.UNKNOWN;
    }

    /** Kafka's {@code AccessControlEntryFilter.matches}: principal and host compare as text, exactly. */
    public boolean matches(AccessControlEntry entry) {
        if (principal != null && !principal.equals(entry.principal())) {
            return false;
        }
        if (host != null && !host.equals(entry.host())) {
            return false;
        }
        if (operation != AclOperation.ANY && operation != entry.operation()) {
            return false;
        }
        return permission == AclPermissionType.ANY || permission == entry.permission();
    }
}
