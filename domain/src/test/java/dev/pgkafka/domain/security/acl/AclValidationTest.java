package dev.pgkafka.domain.security.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;

/** The checks and messages of Kafka 4.3.1's AclApis and AclControlManager, as a broker answers them. */
class AclValidationTest {

    @Test
    void aWellFormedBindingPasses() {
        assertEquals(Optional.empty(), AclValidation.checkNewBinding(binding(ResourceType.TOPIC, "orders",
                PatternType.LITERAL, "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW)));
        assertEquals(Optional.empty(), AclValidation.checkNewBinding(binding(ResourceType.CLUSTER, "kafka-cluster",
                PatternType.LITERAL, "User:alice", "10.0.0.1", AclOperation.ALTER, AclPermissionType.DENY)));
    }

    @Test
    void whatKafkaAcceptsThoughItLooksOdd() {
        // checked against Kafka 4.3.1: only the colon is required of a principal, nothing of a host, and an
        // operation need not make sense for the resource type
        for (AclBinding b : new AclBinding[] {
                binding(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:", "*", AclOperation.READ, AclPermissionType.ALLOW),
                binding(ResourceType.TOPIC, "t", PatternType.LITERAL, ":x", "*", AclOperation.READ, AclPermissionType.ALLOW),
                binding(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", "", AclOperation.READ, AclPermissionType.ALLOW),
                binding(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", "*", AclOperation.CLUSTER_ACTION,
                        AclPermissionType.ALLOW),
                binding(ResourceType.USER, "bob", PatternType.LITERAL, "User:a", "*", AclOperation.CREATE_TOKENS,
                        AclPermissionType.ALLOW),
                binding(ResourceType.DELEGATION_TOKEN, "tok", PatternType.PREFIXED, "User:a", "*", AclOperation.DESCRIBE,
                        AclPermissionType.ALLOW),
                binding(ResourceType.CLUSTER, "kafka-cluster", PatternType.PREFIXED, "User:a", "*", AclOperation.ALL,
                        AclPermissionType.ALLOW)}) {
            assertEquals(Optional.empty(), AclValidation.checkNewBinding(b), b.toString());
        }
    }

    @Test
    void refusalsCarryKafkasMessages() {
        assertRefused("The only valid name for the CLUSTER resource is kafka-cluster",
                binding(ResourceType.CLUSTER, "other", PatternType.LITERAL, "User:a", "*", AclOperation.ALTER,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid empty resource name",
                binding(ResourceType.TOPIC, "", PatternType.LITERAL, "User:a", "*", AclOperation.READ,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid resourceType UNKNOWN",
                binding(ResourceType.UNKNOWN, "x", PatternType.LITERAL, "User:a", "*", AclOperation.READ,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid resourceType ANY",
                binding(ResourceType.ANY, "x", PatternType.LITERAL, "User:a", "*", AclOperation.READ,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid patternType MATCH",
                binding(ResourceType.TOPIC, "x", PatternType.MATCH, "User:a", "*", AclOperation.READ,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid patternType UNKNOWN",
                binding(ResourceType.TOPIC, "x", PatternType.UNKNOWN, "User:a", "*", AclOperation.READ,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid operation ANY",
                binding(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:a", "*", AclOperation.ANY,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid operation UNKNOWN",
                binding(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:a", "*", AclOperation.UNKNOWN,
                        AclPermissionType.ALLOW));
        assertRefused("Invalid permissionType ANY",
                binding(ResourceType.TOPIC, "x", PatternType.LITERAL, "User:a", "*", AclOperation.READ,
                        AclPermissionType.ANY));
        assertRefused("Could not parse principal from `alice` (no colon is present separating the principal type "
                        + "from the principal name)",
                binding(ResourceType.TOPIC, "x", PatternType.LITERAL, "alice", "*", AclOperation.READ,
                        AclPermissionType.ALLOW));
    }

    @Test
    void theBrokersChecksComeBeforeTheControllers() {
        assertRefused("Invalid empty resource name",
                binding(ResourceType.UNKNOWN, "", PatternType.UNKNOWN, "alice", "*", AclOperation.UNKNOWN,
                        AclPermissionType.UNKNOWN));
        assertRefused("The only valid name for the CLUSTER resource is kafka-cluster",
                binding(ResourceType.CLUSTER, "", PatternType.LITERAL, "User:a", "*", AclOperation.ALTER,
                        AclPermissionType.ALLOW));
    }

    @Test
    void deleteFiltersMustBeKnown() {
        assertEquals(Optional.empty(), AclValidation.checkDeleteFilter(AclBindingFilter.ANY));
        assertEquals(Optional.of(new AclProblem(ErrorCode.INVALID_REQUEST, "Unknown patternFilter.")),
                AclValidation.checkDeleteFilter(new AclBindingFilter(
                        new ResourcePatternFilter(ResourceType.UNKNOWN, null, PatternType.ANY), AccessControlEntryFilter.ANY)));
        assertEquals(Optional.of(new AclProblem(ErrorCode.INVALID_REQUEST, "Unknown patternFilter.")),
                AclValidation.checkDeleteFilter(new AclBindingFilter(
                        new ResourcePatternFilter(ResourceType.TOPIC, null, PatternType.UNKNOWN),
                        AccessControlEntryFilter.ANY)));
        assertEquals(Optional.of(new AclProblem(ErrorCode.INVALID_REQUEST, "Unknown entryFilter.")),
                AclValidation.checkDeleteFilter(new AclBindingFilter(ResourcePatternFilter.ANY,
                        new AccessControlEntryFilter(null, null, AclOperation.UNKNOWN, AclPermissionType.ANY))));
    }

    private static void assertRefused(String message, AclBinding binding) {
        assertEquals(Optional.of(new AclProblem(ErrorCode.INVALID_REQUEST, message)),
                AclValidation.checkNewBinding(binding));
    }

    private static AclBinding binding(ResourceType type, String name, PatternType patternType, String principal,
                                      String host, AclOperation op, AclPermissionType perm) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, host, op, perm));
    }
}
