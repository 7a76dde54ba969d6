package dev.pgkafka.application.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryAclStore;
import dev.pgkafka.application.port.in.AclAdminUseCase.DeleteResult;
import dev.pgkafka.application.port.in.AclAdminUseCase.Result;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AccessControlEntryFilter;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclBindingFilter;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.AclPermissionType;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.PatternType;
import dev.pgkafka.domain.security.acl.ResourcePattern;
import dev.pgkafka.domain.security.acl.ResourcePatternFilter;
import dev.pgkafka.domain.security.acl.ResourceType;

/** CreateAcls, DescribeAcls and DeleteAcls as the controller applies them, and the changes in force at once. */
class AclServiceTest {
    private static final Requester ALICE = new Requester(KafkaPrincipal.user("alice"), "10.0.0.1");
    private static final AclBinding READ_ORDERS = acl("orders", PatternType.LITERAL, "User:alice", AclOperation.READ);
    private static final AclBinding WRITE_ORD = acl("ord", PatternType.PREFIXED, "User:alice", AclOperation.WRITE);
    private static final AclBinding BOB_READ = acl("orders", PatternType.LITERAL, "User:bob", AclOperation.READ);

    private final InMemoryAclStore store = new InMemoryAclStore();
    private final AclCache cache = AclCache.load(store);
    private final AclService acls = new AclService(store, cache);
    private final AuthorizationService authorization = new AuthorizationService(cache,
            AuthorizerSettings.enabled(Set.of()));

    @Test
    void eachBindingIsCheckedOnItsOwnAndOnlyTheValidOnesAreStored() {
        AclBinding emptyName = acl("", PatternType.LITERAL, "User:alice", AclOperation.READ);
        AclBinding noColon = acl("t", PatternType.LITERAL, "alice", AclOperation.READ);
        List<Result> results = acls.createAcls(List.of(READ_ORDERS, emptyName, WRITE_ORD, noColon, READ_ORDERS));
        assertEquals(List.of(Result.OK,
                new Result(ErrorCode.INVALID_REQUEST, "Invalid empty resource name"),
                Result.OK,
                new Result(ErrorCode.INVALID_REQUEST, "Could not parse principal from `alice` (no colon is present "
                        + "separating the principal type from the principal name)"),
                Result.OK), results);
        assertEquals(Set.of(READ_ORDERS, WRITE_ORD), Set.copyOf(store.load().bindings()));
    }

    @Test
    void creatingAnExistingAclAgainSucceedsAndChangesNothing() {
        acls.createAcls(List.of(READ_ORDERS));
        long version = store.version();
        assertEquals(List.of(Result.OK), acls.createAcls(List.of(READ_ORDERS)));
        assertEquals(version, store.version());
        assertEquals(1, store.load().bindings().size());
    }

    @Test
    void aCreatedAclIsInForceBeforeTheAnswer() {
        assertFalse(authorization.authorize(ALICE, new Action(AclOperation.READ, ResourceType.TOPIC, "orders")));
        acls.createAcls(List.of(READ_ORDERS));
        assertTrue(authorization.authorize(ALICE, new Action(AclOperation.READ, ResourceType.TOPIC, "orders")));
        acls.deleteAcls(List.of(AclBindingFilter.ANY));
        assertFalse(authorization.authorize(ALICE, new Action(AclOperation.READ, ResourceType.TOPIC, "orders")));
    }

    @Test
    void describeAppliesTheFilter() {
        acls.createAcls(List.of(READ_ORDERS, WRITE_ORD, BOB_READ));
        assertEquals(Set.of(READ_ORDERS, WRITE_ORD, BOB_READ), Set.copyOf(acls.describeAcls(AclBindingFilter.ANY).bindings()));
        assertEquals(Set.of(READ_ORDERS, WRITE_ORD, BOB_READ), Set.copyOf(acls.describeAcls(
                patterns(ResourceType.TOPIC, "orders", PatternType.MATCH)).bindings()));
        assertEquals(Set.of(READ_ORDERS, BOB_READ), Set.copyOf(acls.describeAcls(
                patterns(ResourceType.TOPIC, "orders", PatternType.LITERAL)).bindings()));
        assertEquals(List.of(BOB_READ), acls.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY))).bindings());
        assertEquals(ErrorCode.NONE, acls.describeAcls(patterns(ResourceType.UNKNOWN, null, PatternType.ANY)).error(),
                "Kafka answers an unknown describe filter with nothing, not an error");
    }

    @Test
    void describeSeesAnotherBrokersChangeWithoutWaitingForThePoll() {
        AclService otherBroker = new AclService(store, AclCache.load(store));
        otherBroker.createAcls(List.of(BOB_READ));
        assertEquals(List.of(BOB_READ), acls.describeAcls(AclBindingFilter.ANY).bindings());
    }

    @Test
    void deleteReportsPerFilterWhatItRemovedAndRemovesTheUnionOnce() {
        acls.createAcls(List.of(READ_ORDERS, WRITE_ORD, BOB_READ));
        AclBindingFilter alice = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:alice", null, AclOperation.ANY, AclPermissionType.ANY));
        AclBindingFilter ordersLiteral = patterns(ResourceType.TOPIC, "orders", PatternType.LITERAL);
        AclBindingFilter nothing = patterns(ResourceType.GROUP, null, PatternType.ANY);
        AclBindingFilter unknown = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(null, null, AclOperation.UNKNOWN, AclPermissionType.ANY));

        List<DeleteResult> results = acls.deleteAcls(List.of(alice, ordersLiteral, nothing, unknown));
        assertEquals(Set.of(READ_ORDERS, WRITE_ORD), Set.copyOf(results.get(0).deleted()));
        assertEquals(Set.of(READ_ORDERS, BOB_READ), Set.copyOf(results.get(1).deleted()),
                "a binding two filters match is reported by both");
        assertEquals(new DeleteResult(ErrorCode.NONE, null, List.of()), results.get(2));
        assertEquals(new DeleteResult(ErrorCode.INVALID_REQUEST, "Unknown entryFilter.", List.of()), results.get(3));
        assertEquals(List.of(), store.load().bindings());
    }

    @Test
    void anInvalidFilterDoesNotStopTheOthers() {
        acls.createAcls(List.of(READ_ORDERS));
        List<DeleteResult> results = acls.deleteAcls(List.of(patterns(ResourceType.ANY, null, PatternType.UNKNOWN),
                AclBindingFilter.ANY));
        assertEquals(new DeleteResult(ErrorCode.INVALID_REQUEST, "Unknown patternFilter.", List.of()), results.get(0));
        assertEquals(List.of(READ_ORDERS), results.get(1).deleted());
    }

    @Test
    void deleteMatchesWhatIsStoredNotWhatThisBrokerLastSaw() {
        AclService otherBroker = new AclService(store, AclCache.load(store));
        otherBroker.createAcls(List.of(BOB_READ)); // this broker's cache has not polled yet
        List<DeleteResult> results = acls.deleteAcls(List.of(AclBindingFilter.ANY));
        assertEquals(List.of(BOB_READ), results.get(0).deleted());
    }

    private static AclBindingFilter patterns(ResourceType type, String name, PatternType patternType) {
        return new AclBindingFilter(new ResourcePatternFilter(type, name, patternType), AccessControlEntryFilter.ANY);
    }

    private static AclBinding acl(String name, PatternType patternType, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, name, patternType),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
