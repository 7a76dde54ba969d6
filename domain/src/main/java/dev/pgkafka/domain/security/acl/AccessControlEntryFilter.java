package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/** Selects entries (DescribeAcls, DeleteAcls): null principal or host match any; ANY operation and permission too. */
public record AccessControlEntryFilter(String principal, String host, AclOperation operation,
                                       AclPermissionType permission) {
    public AccessControlEntryFilter {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
    }
}
