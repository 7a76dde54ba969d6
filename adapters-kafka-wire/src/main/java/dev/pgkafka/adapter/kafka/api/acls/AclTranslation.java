package dev.pgkafka.adapter.kafka.api.acls;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AccessControlEntryFilter;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclBindingFilter;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.AclPermissionType;
import dev.pgkafka.domain.security.acl.PatternType;
import dev.pgkafka.domain.security.acl.ResourcePattern;
import dev.pgkafka.domain.security.acl.ResourcePatternFilter;
import dev.pgkafka.domain.security.acl.ResourceType;

/** The ACL APIs' wire codes to the domain's types (codes Kafka does not know become UNKNOWN, as in Kafka). */
final class AclTranslation {
    /** Kafka's answer when an ACL API runs without an authorizer (DescribeAcls words it differently). */
    static final String NO_AUTHORIZER = "No Authorizer is configured.";

    private AclTranslation() {
    }

    static AclBinding binding(byte resourceType, String name, byte patternType, String principal, String host,
                              byte operation, byte permission) {
        return new AclBinding(new ResourcePattern(ResourceType.fromCode(resourceType), name, PatternType.fromCode(patternType)),
                new AccessControlEntry(principal, host, AclOperation.fromCode(operation),
                        AclPermissionType.fromCode(permission)));
    }

    static AclBindingFilter filter(byte resourceType, String name, byte patternType, String principal, String host,
                                   byte operation, byte permission) {
        return new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.fromCode(resourceType), name, PatternType.fromCode(patternType)),
                new AccessControlEntryFilter(principal, host, AclOperation.fromCode(operation),
                        AclPermissionType.fromCode(permission)));
    }

    /**
     * Whether the binding uses a value only a filter may (ANY, or MATCH): Kafka's ResourcePattern and
     * AccessControlEntry refuse to be built from such a creation, and the whole request fails.
     */
    static boolean hasFilterValue(AclBinding b) {
        return b.pattern().resourceType() == ResourceType.ANY
                || b.pattern().patternType() == PatternType.ANY || b.pattern().patternType() == PatternType.MATCH
                || b.entry().operation() == AclOperation.ANY || b.entry().permission() == AclPermissionType.ANY;
    }

    /** Kafka 4.3.1's words when the requester may not perform the cluster operation the API needs. */
    static String clusterAuthorizationMessage(RequestContext context, AclOperation operation) {
        return "Request " + context + " needs " + operation + " permission.";
    }
}
