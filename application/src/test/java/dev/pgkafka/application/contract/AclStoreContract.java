package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.AclPermissionType;
import dev.pgkafka.domain.security.acl.PatternType;
import dev.pgkafka.domain.security.acl.ResourcePattern;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * The contract of {@link AclStorePort}: bindings stored once each, exactly as given, shared by every
 * instance over the same data, with a change counter that moves on every change. Each test uses
 * resource names of its own, so storages may hold other tests' ACLs.
 */
public abstract class AclStoreContract extends StorageContract {

    @Test
    void storedBindingsAreLoadedAndTheCounterMoves() {
        String name = uniqueName("acl");
        long before = storage.acls().version();
        List<AclBinding> added = List.of(topicAcl(name, "User:alice", AclOperation.READ, AclPermissionType.ALLOW),
                topicAcl(name, "User:bob", AclOperation.WRITE, AclPermissionType.DENY));
        storage.acls().add(added);

        AclStorePort.Snapshot snapshot = storage.acls().load();
        assertEquals(Set.copyOf(added), ofResource(snapshot, name));
        assertNotEquals(before, snapshot.version(), "the change counter moved");
        assertEquals(snapshot.version(), storage.acls().version());
    }

    @Test
    void readingLeavesTheCounterAlone() {
        storage.acls().add(List.of(topicAcl(uniqueName("acl"), "User:alice", AclOperation.READ, AclPermissionType.ALLOW)));
        long v = storage.acls().version();
        storage.acls().load();
        assertEquals(v, storage.acls().version());
        assertEquals(v, storage.acls().load().version());
    }

    @Test
    void aBindingIsStoredOnceHoweverOftenItIsAdded() {
        String name = uniqueName("acl");
        AclBinding acl = topicAcl(name, "User:alice", AclOperation.READ, AclPermissionType.ALLOW);
        storage.acls().add(List.of(acl, acl));
        storage.acls().add(List.of(acl));
        assertEquals(1, storage.acls().load().bindings().stream().filter(acl::equals).count());
    }

    @Test
    void bindingsDifferingInAnyOneFieldAreDifferentAcls() {
        String name = uniqueName("acl");
        AclBinding base = topicAcl(name, "User:alice", AclOperation.READ, AclPermissionType.ALLOW);
        List<AclBinding> variants = List.of(base,
                new AclBinding(new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL), base.entry()),
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, name, PatternType.PREFIXED), base.entry()),
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, name.toUpperCase(), PatternType.LITERAL),
                        base.entry()),
                topicAcl(name, "User:Alice", AclOperation.READ, AclPermissionType.ALLOW),
                new AclBinding(base.pattern(), new AccessControlEntry("User:alice", "10.0.0.1", AclOperation.READ,
                        AclPermissionType.ALLOW)),
                topicAcl(name, "User:alice", AclOperation.WRITE, AclPermissionType.ALLOW),
                topicAcl(name, "User:alice", AclOperation.READ, AclPermissionType.DENY));
        storage.acls().add(variants);
        Set<AclBinding> loaded = new HashSet<>(storage.acls().load().bindings());
        assertTrue(loaded.containsAll(variants), "all " + variants.size() + " variants stored");
    }

    @Test
    void everyResourceTypePatternTypeOperationAndPermissionRoundTrips() {
        String name = uniqueName("acl");
        List<AclBinding> all = new ArrayList<>();
        for (ResourceType type : EnumSet.complementOf(EnumSet.of(ResourceType.ANY, ResourceType.UNKNOWN))) {
            for (PatternType patternType : List.of(PatternType.LITERAL, PatternType.PREFIXED)) {
                for (AclOperation op : EnumSet.complementOf(EnumSet.of(AclOperation.ANY, AclOperation.UNKNOWN))) {
                    for (AclPermissionType permission : List.of(AclPermissionType.ALLOW, AclPermissionType.DENY)) {
                        String resource = type == ResourceType.CLUSTER ? ResourceType.CLUSTER_NAME : name;
                        all.add(new AclBinding(new ResourcePattern(type, resource, patternType),
                                new AccessControlEntry("User:" + name, "*", op, permission)));
                    }
                }
            }
        }
        storage.acls().add(all);
        Set<AclBinding> mine = new HashSet<>();
        for (AclBinding b : storage.acls().load().bindings()) {
            if (b.entry().principal().equals("User:" + name)) {
                mine.add(b);
            }
        }
        assertEquals(Set.copyOf(all), mine);
        assertEquals(Set.copyOf(all), storage.acls().remove(all));
    }

    @Test
    void textIsKeptExactly() {
        String name = uniqueName("acl");
        List<AclBinding> odd = List.of(
                topicAcl(name + "-ünïcödé-日本", "User:CN=alice,OU=eng,O=Example:Corp", AclOperation.READ,
                        AclPermissionType.ALLOW),
                topicAcl(name + "x".repeat(600), "User:", AclOperation.READ, AclPermissionType.ALLOW),
                new AclBinding(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, name + " with spaces '\"%_",
                        PatternType.PREFIXED),
                        new AccessControlEntry(":x", "0:0:0:0:0:0:0:1", AclOperation.WRITE, AclPermissionType.ALLOW)),
                new AclBinding(new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL),
                        new AccessControlEntry("User:*", "", AclOperation.ALL, AclPermissionType.DENY)));
        storage.acls().add(odd);
        assertTrue(new HashSet<>(storage.acls().load().bindings()).containsAll(odd));
    }

    @Test
    void removeTakesAwayExactlyTheStoredBindingsAndSaysWhich() {
        String name = uniqueName("acl");
        AclBinding a = topicAcl(name, "User:alice", AclOperation.READ, AclPermissionType.ALLOW);
        AclBinding b = topicAcl(name, "User:bob", AclOperation.READ, AclPermissionType.ALLOW);
        AclBinding never = topicAcl(name, "User:carol", AclOperation.READ, AclPermissionType.ALLOW);
        storage.acls().add(List.of(a, b));
        long before = storage.acls().version();

        assertEquals(Set.of(a), storage.acls().remove(List.of(a, never)));
        assertEquals(Set.of(b), ofResource(storage.acls().load(), name));
        assertNotEquals(before, storage.acls().version());
        assertEquals(Set.of(), storage.acls().remove(List.of(a)), "already gone");
        assertEquals(Set.of(), storage.acls().remove(List.of()));
    }

    @Test
    void anotherInstanceSeesTheChangesAndTheCounterMove() {
        String name = uniqueName("acl");
        StorageUnderTest other = reopen();
        long seen = other.acls().version();
        AclBinding acl = topicAcl(name, "User:alice", AclOperation.READ, AclPermissionType.ALLOW);
        storage.acls().add(List.of(acl));
        assertNotEquals(seen, other.acls().version(), "the other instance notices the addition");
        assertEquals(Set.of(acl), ofResource(other.acls().load(), name));

        seen = other.acls().version();
        assertEquals(Set.of(acl), other.acls().remove(List.of(acl)));
        assertNotEquals(seen, storage.acls().version(), "and this one notices the removal");
        assertEquals(Set.of(), ofResource(storage.acls().load(), name));
    }

    @Test
    void concurrentAddsOfTheSameBindingsStoreEachOnce() throws Exception {
        String name = uniqueName("acl");
        List<AclBinding> acls = List.of(topicAcl(name, "User:alice", AclOperation.READ, AclPermissionType.ALLOW),
                topicAcl(name, "User:bob", AclOperation.READ, AclPermissionType.ALLOW));
        int writers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                done.add(pool.submit(() -> {
                    start.await();
                    storage.acls().add(acls);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AclBinding> mine = storage.acls().load().bindings().stream()
                .filter(b -> b.pattern().name().equals(name)).toList();
        assertEquals(2, mine.size(), mine.toString());
    }

    private static Set<AclBinding> ofResource(AclStorePort.Snapshot snapshot, String name) {
        Set<AclBinding> out = new HashSet<>();
        for (AclBinding b : snapshot.bindings()) {
            if (b.pattern().name().equals(name)) {
                out.add(b);
            }
        }
        return out;
    }

    protected static AclBinding topicAcl(String name, String principal, AclOperation op, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", op, permission));
    }
}
