package dev.pgkafka.application.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;
import java.util.ResourceBundle;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryAclStore;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.AclPermissionType;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.PatternType;
import dev.pgkafka.domain.security.acl.ResourcePattern;
import dev.pgkafka.domain.security.acl.ResourceType;

/** The authorizer service: on or off by settings, Kafka's semantics over the cache, Kafka's audit log. */
class AuthorizationServiceTest {
    private static final Requester ALICE = new Requester(KafkaPrincipal.user("alice"), "10.0.0.1");
    private static final Action READ_ORDERS = new Action(AclOperation.READ, ResourceType.TOPIC, "orders");

    private final InMemoryAclStore store = new InMemoryAclStore();
    private final List<Logged> logged = new CopyOnWriteArrayList<>();
    private final System.Logger audit = new System.Logger() {
        @Override
        public String getName() {
            return AuthorizationService.AUDIT_LOGGER;
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            logged.add(new Logged(level, msg));
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            logged.add(new Logged(level, params == null || params.length == 0 ? format
                    : MessageFormat.format(format, params)));
        }
    };

    private record Logged(Level level, String message) {
    }

    @Test
    void disabledAllowsEverythingAndLogsNothing() {
        store.add(List.of(acl("orders", "User:*", AclOperation.ALL, AclPermissionType.DENY)));
        AuthorizationService off = new AuthorizationService(AclCache.load(store), AuthorizerSettings.DISABLED, audit);
        assertFalse(off.isEnabled());
        assertEquals(List.of(true, true), off.authorize(ALICE, List.of(READ_ORDERS, Action.onCluster(AclOperation.ALTER))));
        assertTrue(off.authorizeByResourceType(ALICE, AclOperation.WRITE, ResourceType.TOPIC));
        assertEquals(List.of(), logged);
    }

    @Test
    void enabledDecidesByTheAclsInOrder() {
        store.add(List.of(acl("orders", "User:alice", AclOperation.READ, AclPermissionType.ALLOW)));
        AuthorizationService on = new AuthorizationService(AclCache.load(store), AuthorizerSettings.enabled(Set.of()), audit);
        assertTrue(on.isEnabled());
        assertEquals(List.of(true, true, false), on.authorize(ALICE, List.of(READ_ORDERS,
                new Action(AclOperation.DESCRIBE, ResourceType.TOPIC, "orders"),
                new Action(AclOperation.WRITE, ResourceType.TOPIC, "orders"))));
        assertTrue(on.authorizeByResourceType(ALICE, AclOperation.READ, ResourceType.TOPIC));
        assertFalse(on.authorizeByResourceType(ALICE, AclOperation.WRITE, ResourceType.TOPIC));
        assertThrows(IllegalArgumentException.class,
                () -> on.authorizeByResourceType(ALICE, AclOperation.ANY, ResourceType.TOPIC));
    }

    @Test
    void superUsersAndTheNoAclDefaultComeFromTheSettings() {
        store.add(List.of(acl("orders", "User:*", AclOperation.ALL, AclPermissionType.DENY)));
        AclCache cache = AclCache.load(store);
        AuthorizationService supers = new AuthorizationService(cache, AuthorizerSettings.enabled(Set.of("User:alice")));
        assertTrue(supers.authorize(ALICE, READ_ORDERS));
        AuthorizationService open = new AuthorizationService(cache, new AuthorizerSettings(true, Set.of(), true));
        assertFalse(open.authorize(ALICE, READ_ORDERS));
        assertTrue(open.authorize(ALICE, new Action(AclOperation.READ, ResourceType.TOPIC, "payments")));
    }

    @Test
    void deniedDecisionsTheClientAskedForAreAuditedAtInfoWithKafkasWording() {
        AuthorizationService on = new AuthorizationService(AclCache.load(store), AuthorizerSettings.enabled(Set.of()), audit);
        on.authorize(ALICE, new Action(AclOperation.READ, ResourceType.TRANSACTIONAL_ID, "tx-1"));
        Logged record = logged.getLast();
        assertEquals(Level.INFO, record.level());
        assertEquals("Principal = User:alice is Denied operation = READ from host = 10.0.0.1 on resource = "
                + "TransactionalId:LITERAL:tx-1 based on rule DefaultDeny", record.message());
    }

    @Test
    void allowedDecisionsAreAuditedAtDebugAndFilteringOnlyAtTrace() {
        store.add(List.of(acl("orders", "User:alice", AclOperation.READ, AclPermissionType.ALLOW)));
        AuthorizationService on = new AuthorizationService(AclCache.load(store), AuthorizerSettings.enabled(Set.of()), audit);
        on.authorize(ALICE, READ_ORDERS);
        assertEquals(Level.DEBUG, logged.getLast().level());
        assertTrue(logged.getLast().message().startsWith("Principal = User:alice is Allowed operation = READ from "
                + "host = 10.0.0.1 on resource = Topic:LITERAL:orders based on rule MatchingAcl(acl=StandardAcl("),
                logged.getLast().message());
        on.authorize(ALICE, new Action(AclOperation.WRITE, ResourceType.TOPIC, "orders", false, false));
        assertEquals(Level.TRACE, logged.getLast().level(), "a denial the client did not ask for is TRACE");
        on.authorize(ALICE, new Action(AclOperation.READ, ResourceType.TOPIC, "orders", false, false));
        assertEquals(Level.TRACE, logged.getLast().level(), "an allowed filter decision is TRACE");
    }

    @Test
    void decisionsFollowTheCache() {
        AclCache cache = AclCache.load(store);
        AuthorizationService on = new AuthorizationService(cache, AuthorizerSettings.enabled(Set.of()));
        assertFalse(on.authorize(ALICE, READ_ORDERS));
        store.add(List.of(acl("orders", "User:alice", AclOperation.READ, AclPermissionType.ALLOW)));
        assertFalse(on.authorize(ALICE, READ_ORDERS), "not read yet");
        assertTrue(cache.refresh());
        assertTrue(on.authorize(ALICE, READ_ORDERS));
        assertFalse(cache.refresh(), "nothing changed since");
    }

    @Test
    void settingsReadKafkasPropertiesAsKafkaDoes() {
        AuthorizerSettings s = AuthorizerSettings.fromKafkaConfig(
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer", " User:admin ; User:CN=a,OU=b;;", " TRUE ");
        assertEquals(new AuthorizerSettings(true, Set.of("User:admin", "User:CN=a,OU=b"), true), s);
        assertTrue(s.isSuperUser(KafkaPrincipal.user("CN=a,OU=b")));
        assertEquals(AuthorizerSettings.DISABLED, AuthorizerSettings.fromKafkaConfig(" ", null, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AuthorizerSettings.parseSuperUsers("User:admin;admin"));
        assertTrue(e.getMessage().contains("but got admin"), e.getMessage());
    }

    private static AclBinding acl(String topic, String principal, AclOperation op, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", op, permission));
    }
}
