package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.group.GroupSnapshot;
import dev.pgkafka.domain.group.consumer.ConsumerGroupChanges;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.group.consumer.ConsumerGroupSnapshot;
import dev.pgkafka.domain.group.consumer.MemberState;
import dev.pgkafka.domain.topic.Topic;

/** The contract of {@link dev.pgkafka.application.port.out.ConsumerGroupStorePort}. */
public abstract class ConsumerGroupStoreContract extends StorageContract {
    private static final UUID T1 = new UUID(0x1234, 1);
    private static final UUID T2 = new UUID(0x1234, 2);

    static ConsumerGroupMember stable(String id, String instanceId, int epoch, Map<UUID, Set<Integer>> assigned) {
        return new ConsumerGroupMember(id, instanceId, instanceId == null ? null : "rack-1", "client-" + id, "/10.0.0.1",
                List.of("orders", "payments"), null, instanceId == null ? null : "range", 300_000, epoch, epoch - 1,
                MemberState.STABLE, assigned, Map.of());
    }

    static ConsumerGroupSnapshot group(String groupId, ConsumerGroupMember... members) {
        Map<String, Map<UUID, Set<Integer>>> target = new java.util.TreeMap<>();
        for (ConsumerGroupMember m : members) {
            target.put(m.memberId(), m.assignedPartitions());
        }
        return new ConsumerGroupSnapshot(groupId, 7, 7, -8_765_432_109_876L, List.of(members), target);
    }

    protected Optional<ConsumerGroupSnapshot> load(StorageUnderTest s, String groupId) {
        return s.consumerGroupStore().loadAll().stream().filter(g -> g.groupId().equals(groupId)).findFirst();
    }

    @Test
    void aSavedGroupLoadsBackAsItWas() {
        String id = uniqueName("consumer-group");
        ConsumerGroupMember revoking = new ConsumerGroupMember("m-revoking", null, null, "c", "/h", List.of(),
                "orders-.*", null, 45_000, 6, 5, MemberState.UNREVOKED_PARTITIONS, Map.of(T1, Set.of(0)),
                Map.of(T1, Set.of(1, 2), T2, Set.of(0)));
        ConsumerGroupMember away = stable("m-away", "instance-9", 5, Map.of(T2, Set.of(1, 2))).leftTemporarily();
        ConsumerGroupMember waiting = new ConsumerGroupMember("m-waiting", null, null, "c", "/h", List.of("orders"), null,
                "uniform", 45_000, 7, 6, MemberState.UNRELEASED_PARTITIONS, Map.of(), Map.of());
        ConsumerGroupSnapshot snapshot = new ConsumerGroupSnapshot(id, 9, 8, 42L,
                List.of(stable("m-a", "instance-1", 8, Map.of(T1, Set.of(3, 4), T2, Set.of(3))), revoking, away, waiting),
                Map.of("m-a", Map.of(T1, Set.of(3, 4)), "m-revoking", Map.of(T1, Set.of(0)),
                        "m-waiting", Map.of(T1, Set.of(1, 2), T2, Set.of(0))));
        storage.consumerGroupStore().save(snapshot);
        assertEquals(snapshot, load(storage, id).orElseThrow());
    }

    @Test
    void aSaveReplacesTheGroupWithAllItsMembersAndAssignments() {
        String id = uniqueName("consumer-group");
        storage.consumerGroupStore().save(group(id, stable("a", null, 7, Map.of(T1, Set.of(0, 1))),
                stable("b", null, 7, Map.of(T1, Set.of(2, 3)))));
        ConsumerGroupSnapshot next = group(id, stable("b", null, 8, Map.of(T1, Set.of(0, 1, 2, 3))));
        storage.consumerGroupStore().save(next);
        assertEquals(next, load(storage, id).orElseThrow());
        ConsumerGroupSnapshot empty = new ConsumerGroupSnapshot(id, 9, 8, 0, List.of(), Map.of());
        storage.consumerGroupStore().save(empty);
        assertEquals(empty, load(storage, id).orElseThrow());
        assertEquals(1, storage.consumerGroupStore().loadAll().stream().filter(g -> g.groupId().equals(id)).count());
    }

    @Test
    void anUpdateStoresWhatItsChangesMakeOfTheStoredGroup() {
        String id = uniqueName("consumer-group");
        ConsumerGroupSnapshot stored = group(id, stable("a", null, 7, Map.of(T1, Set.of(0, 1))),
                stable("b", "instance-b", 7, Map.of(T1, Set.of(2, 3))), stable("c", null, 7, Map.of(T2, Set.of(0))));
        storage.consumerGroupStore().save(stored);

        // b moves on and revokes, c leaves, d joins, a is untouched; the target changes
        ConsumerGroupMember b = new ConsumerGroupMember("b", "instance-b", "rack-1", "client-b", "/10.0.0.1",
                List.of("orders"), null, "range", 300_000, 7, 7, MemberState.UNREVOKED_PARTITIONS, Map.of(T1, Set.of(2)),
                Map.of(T1, Set.of(3)));
        ConsumerGroupMember d = stable("d", null, 8, Map.of());
        ConsumerGroupChanges changes = new ConsumerGroupChanges(id, 8, 8, 99L, List.of(b, d), Set.of("c"),
                Map.of("a", Map.of(T1, Set.of(0, 1)), "b", Map.of(T1, Set.of(2)), "d", Map.of(T1, Set.of(3), T2, Set.of(0))));
        storage.consumerGroupStore().update(changes);
        assertEquals(changes.applyTo(stored), load(storage, id).orElseThrow());

        // a heartbeat that moves one member only, target unchanged
        ConsumerGroupChanges one = new ConsumerGroupChanges(id, 8, 8, 99L, List.of(stable("d", null, 8,
                Map.of(T2, Set.of(0)))), Set.of(), null);
        storage.consumerGroupStore().update(one);
        assertEquals(one.applyTo(changes.applyTo(stored)), load(storage, id).orElseThrow());
        assertEquals(Map.of(T1, Set.of(3), T2, Set.of(0)), load(storage, id).orElseThrow().targetAssignment().get("d"));
    }

    @Test
    void aConsumerGroupTakesOverTheIdOfAStoredClassicGroupButNotItsOffsets() {
        Topic topic = createTopic(1);
        String id = uniqueName("converted");
        storage.groupStore().save(new GroupSnapshot(id, "consumer", null, 3, null, 1L, List.of()));
        CommittedOffset offset = new CommittedOffset(10, -1, "", 1, OptionalLong.empty());
        storage.offsetStore().commit(id, Map.of(topic.partition(0), offset));

        storage.consumerGroupStore().save(group(id, stable("a", null, 1, Map.of(topic.id(), Set.of(0)))));

        assertTrue(storage.groupStore().loadAll().stream().noneMatch(g -> g.groupId().equals(id)));
        assertEquals(10, storage.offsetStore().fetchAll(id).get(topic.partition(0)).offset());
    }

    @Test
    void deletingKeepsOrDropsTheOffsetsAsAsked() {
        Topic topic = createTopic(1);
        String kept = uniqueName("kept");
        String dropped = uniqueName("dropped");
        CommittedOffset offset = new CommittedOffset(5, -1, "", 1, OptionalLong.empty());
        for (String id : List.of(kept, dropped)) {
            storage.consumerGroupStore().save(group(id, stable("a", null, 1, Map.of(topic.id(), Set.of(0)))));
            storage.offsetStore().commit(id, Map.of(topic.partition(0), offset));
        }
        storage.consumerGroupStore().delete(kept, false);
        storage.consumerGroupStore().delete(dropped, true);
        assertTrue(load(storage, kept).isEmpty());
        assertTrue(load(storage, dropped).isEmpty());
        assertEquals(1, storage.offsetStore().fetchAll(kept).size());
        assertEquals(Map.of(), storage.offsetStore().fetchAll(dropped));
    }

    @Test
    void groupsSurviveAReopen() {
        String id = uniqueName("consumer-group");
        ConsumerGroupSnapshot snapshot = group(id, stable("a", "i", 3, Map.of(T1, Set.of(0))),
                stable("b", null, 3, Map.of(T2, Set.of(5))));
        storage.consumerGroupStore().save(snapshot);
        storage.close();
        assertEquals(snapshot, load(reopen(), id).orElseThrow());
    }
}
