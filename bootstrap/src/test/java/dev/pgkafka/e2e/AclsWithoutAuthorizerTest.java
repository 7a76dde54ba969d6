package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/**
 * A broker without an authorizer (the default) still offers the ACL APIs and answers them with
 * SECURITY_DISABLED, as Kafka does: MirrorMaker 2's ACL sync and other tools expect exactly that.
 */
class AclsWithoutAuthorizerTest extends BrokerTestSupport {
    private static final AclBinding READ_ORDERS = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));

    @Test
    void theAdminClientGetsSecurityDisabledExceptionsWithKafkasMessages() {
        Admin admin = admin();
        SecurityDisabledException described = securityDisabled(
                () -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
        assertEquals("No Authorizer is configured on the broker", described.getMessage());

        SecurityDisabledException created = securityDisabled(
                () -> admin.createAcls(List.of(READ_ORDERS)).all().get(30, TimeUnit.SECONDS));
        assertEquals("No Authorizer is configured.", created.getMessage());

        SecurityDisabledException deleted = securityDisabled(
                () -> admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get(30, TimeUnit.SECONDS));
        assertEquals("No Authorizer is configured.", deleted.getMessage());
    }

    private static SecurityDisabledException securityDisabled(Call call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::run);
        return assertInstanceOf(SecurityDisabledException.class, e.getCause());
    }

    private interface Call {
        void run() throws Exception;
    }
}
