package dev.pgkafka.adapter.kafka.api.acls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.application.memory.InMemoryAclStore;
import dev.pgkafka.application.service.security.AclCache;
import dev.pgkafka.application.service.security.AclService;
import dev.pgkafka.application.service.security.AuthorizationService;
import dev.pgkafka.application.service.security.AuthorizerSettings;

/**
 * The three ACL APIs over the real services, answering as Kafka 4.3.1's AclApis does: the cluster
 * permission first, then SECURITY_DISABLED without an authorizer, then per creation or filter.
 */
class AclHandlersTest {
    // wire codes
    private static final byte TOPIC = 2;
    private static final byte GROUP = 3;
    private static final byte CLUSTER = 4;
    private static final byte ANY = 1;
    private static final byte MATCH = 2;
    private static final byte LITERAL = 3;
    private static final byte PREFIXED = 4;
    private static final byte READ = 3;
    private static final byte ALTER = 7;
    private static final byte DESCRIBE = 8;
    private static final byte DENY = 2;
    private static final byte ALLOW = 3;

    private final InMemoryAclStore store = new InMemoryAclStore();
    private final AclCache cache = AclCache.load(store);
    private final AclService service = new AclService(store, cache);

    @Test
    void withoutAnAuthorizerEachApiAnswersSecurityDisabledWithKafkasWords() {
        AuthHelper none = AuthHelper.allowAll();
        DescribeAclsResponseData described = (DescribeAclsResponseData) new DescribeAclsHandler(none, service)
                .handle(context(ApiKeys.DESCRIBE_ACLS), describeAll()).body();
        assertEquals(Errors.SECURITY_DISABLED.code(), described.errorCode());
        assertEquals("No Authorizer is configured on the broker", described.errorMessage());

        CreateAclsResponseData created = (CreateAclsResponseData) new CreateAclsHandler(none, service)
                .handle(context(ApiKeys.CREATE_ACLS), create(creation(TOPIC, "t", LITERAL, "User:a", READ, ALLOW),
                        creation(TOPIC, "u", LITERAL, "User:a", READ, ALLOW))).body();
        assertEquals(2, created.results().size());
        for (CreateAclsResponseData.AclCreationResult r : created.results()) {
            assertEquals(Errors.SECURITY_DISABLED.code(), r.errorCode());
            assertEquals("No Authorizer is configured.", r.errorMessage());
        }

        DeleteAclsResponseData deleted = (DeleteAclsResponseData) new DeleteAclsHandler(none, service)
                .handle(context(ApiKeys.DELETE_ACLS), delete(filter(ANY, null, ANY))).body();
        assertEquals(Errors.SECURITY_DISABLED.code(), deleted.filterResults().get(0).errorCode());
        assertEquals("No Authorizer is configured.", deleted.filterResults().get(0).errorMessage());
        assertEquals(List.of(), store.load().bindings(), "nothing was stored");
    }

    @Test
    void withoutClusterPermissionEachApiAnswersClusterAuthorizationFailed() {
        AuthHelper denied = authorizer(); // no ACLs, no super users: nothing allowed
        DescribeAclsResponseData described = (DescribeAclsResponseData) new DescribeAclsHandler(denied, service)
                .handle(context(ApiKeys.DESCRIBE_ACLS), describeAll()).body();
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), described.errorCode());
        assertTrue(described.errorMessage().startsWith("Request DescribeAcls v3 #7 from test@"), described.errorMessage());
        assertTrue(described.errorMessage().endsWith(" needs DESCRIBE permission."), described.errorMessage());

        CreateAclsResponseData created = (CreateAclsResponseData) new CreateAclsHandler(denied, service)
                .handle(context(ApiKeys.CREATE_ACLS), create(creation(TOPIC, "t", LITERAL, "User:a", READ, ALLOW))).body();
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), created.results().get(0).errorCode());
        assertTrue(created.results().get(0).errorMessage().endsWith(" needs ALTER permission."));

        DeleteAclsResponseData deleted = (DeleteAclsResponseData) new DeleteAclsHandler(denied, service)
                .handle(context(ApiKeys.DELETE_ACLS), delete(filter(ANY, null, ANY), filter(TOPIC, "t", LITERAL))).body();
        assertEquals(2, deleted.filterResults().size());
        deleted.filterResults().forEach(r -> assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), r.errorCode()));
        assertEquals(List.of(), store.load().bindings());
    }

    @Test
    void describePermissionDoesNotLetAClientChangeAcls() {
        // ALTER implies DESCRIBE, not the other way round
        store.add(List.of(AclTranslation.binding(CLUSTER, "kafka-cluster", LITERAL, "User:ANONYMOUS", "*", DESCRIBE,
                ALLOW)));
        cache.reload();
        AuthHelper auth = authorizer();
        assertEquals(Errors.NONE.code(), ((DescribeAclsResponseData) new DescribeAclsHandler(auth, service)
                .handle(context(ApiKeys.DESCRIBE_ACLS), describeAll()).body()).errorCode());
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), ((CreateAclsResponseData) new CreateAclsHandler(auth,
                service).handle(context(ApiKeys.CREATE_ACLS), create(creation(TOPIC, "t", LITERAL, "User:a", READ,
                ALLOW))).body()).results().get(0).errorCode());
    }

    @Test
    void createDescribeAndDeleteRoundTrip() {
        AuthHelper admin = superUser();
        CreateAclsResponseData created = (CreateAclsResponseData) new CreateAclsHandler(admin, service)
                .handle(context(ApiKeys.CREATE_ACLS), create(
                        creation(TOPIC, "orders", LITERAL, "User:alice", READ, ALLOW),
                        creation(TOPIC, "orders", LITERAL, "User:bob", READ, DENY),
                        creation(TOPIC, "ord", PREFIXED, "User:alice", DESCRIBE, ALLOW),
                        creation(TOPIC, "", LITERAL, "User:alice", READ, ALLOW),
                        creation(CLUSTER, "other", LITERAL, "User:alice", ALTER, ALLOW),
                        creation(GROUP, "g", LITERAL, "alice", READ, ALLOW))).body();
        assertEquals(List.of((short) 0, (short) 0, (short) 0, Errors.INVALID_REQUEST.code(),
                Errors.INVALID_REQUEST.code(), Errors.INVALID_REQUEST.code()),
                created.results().stream().map(CreateAclsResponseData.AclCreationResult::errorCode).toList());
        assertEquals("", created.results().get(0).errorMessage(), "Kafka leaves a success's message at its default");
        assertEquals("Invalid empty resource name", created.results().get(3).errorMessage());
        assertEquals("The only valid name for the CLUSTER resource is kafka-cluster", created.results().get(4).errorMessage());

        DescribeAclsResponseData described = (DescribeAclsResponseData) new DescribeAclsHandler(admin, service)
                .handle(context(ApiKeys.DESCRIBE_ACLS), describe(TOPIC, "orders", MATCH)).body();
        assertEquals(Errors.NONE.code(), described.errorCode());
        assertEquals(2, described.resources().size(), "grouped by pattern: orders LITERAL and ord PREFIXED");
        DescribeAclsResponseData.DescribeAclsResource literal = described.resources().stream()
                .filter(r -> r.patternType() == LITERAL).findFirst().orElseThrow();
        assertEquals("orders", literal.resourceName());
        assertEquals(TOPIC, literal.resourceType());
        assertEquals(Set.of("User:alice/3/3", "User:bob/3/2"), Set.copyOf(literal.acls().stream()
                .map(a -> a.principal() + "/" + a.operation() + "/" + a.permissionType()).toList()));

        DeleteAclsResponseData deleted = (DeleteAclsResponseData) new DeleteAclsHandler(admin, service)
                .handle(context(ApiKeys.DELETE_ACLS), delete(filter(TOPIC, "ord", PREFIXED), filter(GROUP, null, ANY)))
                .body();
        DeleteAclsResponseData.DeleteAclsFilterResult first = deleted.filterResults().get(0);
        assertEquals(Errors.NONE.code(), first.errorCode());
        assertNull(first.errorMessage());
        assertEquals(1, first.matchingAcls().size());
        DeleteAclsResponseData.DeleteAclsMatchingAcl m = first.matchingAcls().get(0);
        assertEquals(List.of("ord", "User:alice", "*"), List.of(m.resourceName(), m.principal(), m.host()));
        assertEquals(List.of(TOPIC, PREFIXED, DESCRIBE, ALLOW), List.of(m.resourceType(), m.patternType(), m.operation(),
                m.permissionType()));
        assertEquals(List.of(), deleted.filterResults().get(1).matchingAcls());
        assertEquals(2, store.load().bindings().size());
    }

    @Test
    void aCreationWithAFilterOnlyValueFailsTheWholeRequestAsInKafka() {
        for (byte[] odd : new byte[][] {{ANY, LITERAL, READ, ALLOW}, {TOPIC, ANY, READ, ALLOW}, {TOPIC, MATCH, READ, ALLOW},
                {TOPIC, LITERAL, ANY, ALLOW}, {TOPIC, LITERAL, READ, ANY}}) {
            CreateAclsResponseData created = (CreateAclsResponseData) new CreateAclsHandler(superUser(), service)
                    .handle(context(ApiKeys.CREATE_ACLS), create(creation(TOPIC, "fine", LITERAL, "User:a", READ, ALLOW),
                            creation(odd[0], "x", odd[1], "User:a", odd[2], odd[3]))).body();
            for (CreateAclsResponseData.AclCreationResult r : created.results()) {
                assertEquals(Errors.UNKNOWN_SERVER_ERROR.code(), r.errorCode());
                assertNull(r.errorMessage());
            }
        }
        assertEquals(List.of(), store.load().bindings(), "not even the valid creation is stored");
    }

    @Test
    void codesKafkaDoesNotKnowAreUnknownValues() {
        AuthHelper admin = superUser();
        CreateAclsResponseData created = (CreateAclsResponseData) new CreateAclsHandler(admin, service)
                .handle(context(ApiKeys.CREATE_ACLS), create(creation((byte) 9, "x", LITERAL, "User:a", READ, ALLOW),
                        creation(TOPIC, "x", LITERAL, "User:a", (byte) 42, ALLOW))).body();
        assertEquals("Invalid resourceType UNKNOWN", created.results().get(0).errorMessage());
        assertEquals("Invalid operation UNKNOWN", created.results().get(1).errorMessage());

        DescribeAclsResponseData described = (DescribeAclsResponseData) new DescribeAclsHandler(admin, service)
                .handle(context(ApiKeys.DESCRIBE_ACLS), describe((byte) 9, null, ANY)).body();
        assertEquals(Errors.NONE.code(), described.errorCode(), "Kafka describes nothing, without an error");
        assertEquals(List.of(), described.resources());

        DeleteAclsResponseData deleted = (DeleteAclsResponseData) new DeleteAclsHandler(admin, service)
                .handle(context(ApiKeys.DELETE_ACLS), delete(filter((byte) 9, null, ANY))).body();
        assertEquals(Errors.INVALID_REQUEST.code(), deleted.filterResults().get(0).errorCode());
        assertEquals("Unknown patternFilter.", deleted.filterResults().get(0).errorMessage());
    }

    // ---- helpers ----

    private AuthHelper authorizer() {
        return new AuthHelper(new AuthorizationService(cache, AuthorizerSettings.enabled(Set.of())));
    }

    private AuthHelper superUser() {
        AuthorizationUseCase auth = new AuthorizationService(cache, AuthorizerSettings.enabled(Set.of("User:ANONYMOUS")));
        return new AuthHelper(auth);
    }

    private static RequestContext context(ApiKeys key) {
        return new RequestContext(1, new InetSocketAddress("10.0.0.1", 5000), "test", key, (short) 3, 7);
    }

    private static CreateAclsRequestData.AclCreation creation(byte type, String name, byte patternType, String principal,
                                                              byte op, byte permission) {
        return new CreateAclsRequestData.AclCreation().setResourceType(type).setResourceName(name)
                .setResourcePatternType(patternType).setPrincipal(principal).setHost("*").setOperation(op)
                .setPermissionType(permission);
    }

    private static CreateAclsRequestData create(CreateAclsRequestData.AclCreation... creations) {
        return new CreateAclsRequestData().setCreations(new ArrayList<>(List.of(creations)));
    }

    private static DescribeAclsRequestData describeAll() {
        return describe(ANY, null, ANY);
    }

    private static DescribeAclsRequestData describe(byte type, String name, byte patternType) {
        return new DescribeAclsRequestData().setResourceTypeFilter(type).setResourceNameFilter(name)
                .setPatternTypeFilter(patternType).setPrincipalFilter(null).setHostFilter(null).setOperation(ANY)
                .setPermissionType(ANY);
    }

    private static DeleteAclsRequestData.DeleteAclsFilter filter(byte type, String name, byte patternType) {
        return new DeleteAclsRequestData.DeleteAclsFilter().setResourceTypeFilter(type).setResourceNameFilter(name)
                .setPatternTypeFilter(patternType).setPrincipalFilter(null).setHostFilter(null).setOperation(ANY)
                .setPermissionType(ANY);
    }

    private static DeleteAclsRequestData delete(DeleteAclsRequestData.DeleteAclsFilter... filters) {
        return new DeleteAclsRequestData().setFilters(new ArrayList<>(List.of(filters)));
    }
}
