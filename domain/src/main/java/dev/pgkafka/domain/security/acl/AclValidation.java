package dev.pgkafka.domain.security.acl;

import java.util.Optional;

/**
 * The checks Kafka makes before it stores or deletes ACLs, with its messages: first the broker's
 * ({@code AclApis}: the cluster's name, an empty name), then the controller's ({@code AclControlManager}).
 */
public final class AclValidation {

    private AclValidation() {
    }

    /** Why Kafka would refuse to create this binding, or empty when it would store it. */
    public static Optional<AclProblem> checkNewBinding(AclBinding binding) {
        ResourcePattern pattern = binding.pattern();
        AccessControlEntry entry = binding.entry();
        if (pattern.resourceType() == ResourceType.CLUSTER && !pattern.name().equals(ResourceType.CLUSTER_NAME)) {
            return problem("The only valid name for the CLUSTER resource is " + ResourceType.CLUSTER_NAME);
        }
        if (pattern.name().isEmpty()) {
            return problem("Invalid empty resource name");
        }
        if (pattern.resourceType() == ResourceType.UNKNOWN || pattern.resourceType() == ResourceType.ANY) {
            return problem("Invalid resourceType " + pattern.resourceType());
        }
        if (pattern.patternType() != PatternType.LITERAL && pattern.patternType() != PatternType.PREFIXED) {
            return problem("Invalid patternType " + pattern.patternType());
        }
        if (entry.operation() == AclOperation.UNKNOWN || entry.operation() == AclOperation.ANY) {
            return problem("Invalid operation " + entry.operation());
        }
        if (entry.permission() != AclPermissionType.ALLOW && entry.permission() != AclPermissionType.DENY) {
            return problem("Invalid permissionType " + entry.permission());
        }
        // Kafka only asks for the colon: "User:" and ":x" are accepted, as is any host text
        if (entry.principal().indexOf(':') < 0) {
            return problem("Could not parse principal from `" + entry.principal() + "` (no colon is present separating "
                    + "the principal type from the principal name)");
        }
        return Optional.empty();
    }

    /** Why Kafka would refuse to delete by this filter, or empty. DescribeAcls takes any filter. */
    public static Optional<AclProblem> checkDeleteFilter(AclBindingFilter filter) {
        if (filter.patternFilter().isUnknown()) {
            return problem("Unknown patternFilter.");
        }
        if (filter.entryFilter().isUnknown()) {
            return problem("Unknown entryFilter.");
        }
        return Optional.empty();
    }

    private static Optional<AclProblem> problem(String message) {
        return Optional.of(AclProblem.invalidRequest(message));
    }
}
