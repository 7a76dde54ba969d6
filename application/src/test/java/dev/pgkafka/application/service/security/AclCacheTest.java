package dev.pgkafka.application.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryAclStore;
import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclBindingFilter;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.AclPermissionType;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.PatternType;
import dev.pgkafka.domain.security.acl.ResourcePattern;
import dev.pgkafka.domain.security.acl.ResourceType;

/** Two brokers over one store: a change through one is in force on the other within a second, by polling. */
class AclCacheTest {
    private static final Requester ALICE = new Requester(KafkaPrincipal.user("alice"), "10.0.0.1");
    private static final Action READ_ORDERS = new Action(AclOperation.READ, ResourceType.TOPIC, "orders");
    private static final AclBinding ALLOW = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));

    @Test
    void anotherBrokersChangeIsInForceWithinASecond() {
        InMemoryAclStore store = new InMemoryAclStore();
        try (AclCache here = AclCache.load(store); AclCache there = AclCache.load(store)) {
            here.startPolling(AclCache.DEFAULT_POLL_INTERVAL);
            AuthorizationService authorizer = new AuthorizationService(here, AuthorizerSettings.enabled(Set.of()));
            AclService otherBroker = new AclService(store, there);
            assertFalse(authorizer.authorize(ALICE, READ_ORDERS));

            otherBroker.createAcls(List.of(ALLOW));
            long seenAfterMs = awaitMs(() -> authorizer.authorize(ALICE, READ_ORDERS));
            assertTrue(seenAfterMs < 1_000, "creation seen after " + seenAfterMs + " ms");

            otherBroker.deleteAcls(List.of(AclBindingFilter.ANY));
            long gone = awaitMs(() -> !authorizer.authorize(ALICE, READ_ORDERS));
            assertTrue(gone < 1_000, "deletion seen after " + gone + " ms");
        }
    }

    @Test
    void whenTheStoreCannotBeReadTheLastAclsStayInForceAndPollingRecovers() {
        FlakyStore store = new FlakyStore();
        store.add(List.of(ALLOW));
        try (AclCache cache = AclCache.load(store)) {
            cache.startPolling(Duration.ofMillis(20));
            AuthorizationService authorizer = new AuthorizationService(cache, AuthorizerSettings.enabled(Set.of()));
            store.down = true;
            store.delegate.remove(List.of(ALLOW));
            long before = store.failedReads;
            awaitMs(() -> store.failedReads > before + 2);
            assertTrue(authorizer.authorize(ALICE, READ_ORDERS), "the ACLs read before stay in force");

            store.down = false;
            long recovered = awaitMs(() -> !authorizer.authorize(ALICE, READ_ORDERS));
            assertTrue(recovered < 1_000, "recovered after " + recovered + " ms");
        }
    }

    @Test
    void closeStopsThePoller() {
        FlakyStore store = new FlakyStore();
        AclCache cache = AclCache.load(store);
        cache.startPolling(Duration.ofMillis(5));
        awaitMs(() -> store.versionReads > 2);
        cache.close();
        long reads = store.versionReads;
        long deadline = System.nanoTime() + Duration.ofMillis(100).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(reads, store.versionReads, "no reads after close");
    }

    /** Milliseconds until the condition holds; fails after 5 s. */
    private static long awaitMs(BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** A store that can be made to fail, and counts how often it is asked for its version. */
    private static final class FlakyStore implements AclStorePort {
        final InMemoryAclStore delegate = new InMemoryAclStore();
        volatile boolean down;
        volatile long failedReads;
        volatile long versionReads;

        @Override
        public Snapshot load() {
            check();
            return delegate.load();
        }

        @Override
        public long version() {
            versionReads++;
            check();
            return delegate.version();
        }

        @Override
        public void add(Collection<AclBinding> bindings) {
            delegate.add(bindings);
        }

        @Override
        public Set<AclBinding> remove(Collection<AclBinding> bindings) {
            return delegate.remove(bindings);
        }

        private void check() {
            if (down) {
                failedReads++;
                throw new StorageException("the database is down", null);
            }
        }
    }
}
