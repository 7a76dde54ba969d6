package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/**
 * Who may (or may not) do what from where: a principal ({@code User:alice}, or {@code User:*} for
 * everyone), a host (an IP address, or {@code *}), an operation and ALLOW or DENY.
 */
public record AccessControlEntry(String principal, String host, AclOperation operation, AclPermissionType permission) {
    public static final String WILDCARD_HOST = "*";
    public static final String WILDCARD_PRINCIPAL = "User:*";

    public AccessControlEntry {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(permission, "permission");
    }
}
