package dev.pgkafka.application.service.security;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * The authorizer's configuration under Kafka's names: {@code authorizer.class.name} (any non-empty
 * value turns ACLs on), {@code super.users} and {@code allow.everyone.if.no.acl.found}.
 *
 * @param superUsers principals as text ({@code User:admin}); matched exactly against the requester's
 *                   {@code Type:name}
 */
public record AuthorizerSettings(boolean enabled, Set<String> superUsers, boolean allowEveryoneIfNoAclFound) {
    /** No authorizer: everything is allowed, and the ACL APIs answer SECURITY_DISABLED (Kafka's default). */
    public static final AuthorizerSettings DISABLED = new AuthorizerSettings(false, Set.of(), false);

    public AuthorizerSettings {
        superUsers = Set.copyOf(superUsers);
    }

    /** ACLs on, with Kafka's defaults otherwise: no super users, deny when no ACL is found. */
    public static AuthorizerSettings enabled(Set<String> superUsers) {
        return new AuthorizerSettings(true, superUsers, false);
    }

    /**
     * From Kafka's three broker properties as text (null when absent), read the way Kafka reads them.
     *
     * @throws IllegalArgumentException when a super user is not of the form {@code Type:name}
     */
    public static AuthorizerSettings fromKafkaConfig(String authorizerClassName, String superUsers,
                                                     String allowEveryoneIfNoAclFound) {
        boolean enabled = authorizerClassName != null && !authorizerClassName.trim().isEmpty();
        boolean allowEveryone = allowEveryoneIfNoAclFound != null
                && Boolean.parseBoolean(allowEveryoneIfNoAclFound.trim());
        return new AuthorizerSettings(enabled, parseSuperUsers(superUsers), allowEveryone);
    }

    /**
     * Kafka's {@code super.users}: principals separated by semicolons (a DN may contain commas), blanks
     * around each ignored, each of the form {@code Type:name}.
     *
     * @throws IllegalArgumentException naming the first principal that is not of that form
     */
    public static Set<String> parseSuperUsers(String value) {
        Set<String> users = new LinkedHashSet<>();
        if (value == null) {
            return users;
        }
        for (String part : value.split(";")) {
            String principal = part.trim();
            if (principal.isEmpty()) {
                continue;
            }
            if (principal.indexOf(':') < 0) {
                throw new IllegalArgumentException("super.users: expected a string in format principalType:principalName"
                        + " but got " + principal);
            }
            users.add(principal);
        }
        return users;
    }

    /** Whether this principal is a super user. */
    public boolean isSuperUser(KafkaPrincipal principal) {
        return superUsers.contains(principal.toString());
    }
}
