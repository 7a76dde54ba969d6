package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.group.GroupSnapshot;
import dev.pgkafka.domain.topic.Topic;

/** The contract of {@link dev.pgkafka.application.port.out.GroupStorePort}. */
public abstract class GroupStoreContract extends StorageContract {

    static GroupSnapshot.Member member(String id, String instance, int assignmentByte) {
        return new GroupSnapshot.Member(id, instance, "client-" + id, "/10.0.0." + assignmentByte, 45_000, 300_000,
                new byte[] {0, 1, 2, (byte) assignmentByte}, new byte[] {9, (byte) assignmentByte});
    }

    static GroupSnapshot stable(String groupId, int generation, GroupSnapshot.Member... members) {
        return new GroupSnapshot(groupId, "consumer", "range", generation, members[0].memberId(), 1_700_000_000_123L,
                List.of(members));
    }

    protected Optional<GroupSnapshot> load(StorageUnderTest s, String groupId) {
        return s.groupStore().loadAll().stream().filter(g -> g.groupId().equals(groupId)).findFirst();
    }

    protected static void assertSameSnapshot(GroupSnapshot expected, GroupSnapshot actual) {
        assertEquals(expected.groupId(), actual.groupId());
        assertEquals(expected.protocolType(), actual.protocolType());
        assertEquals(expected.protocolName(), actual.protocolName());
        assertEquals(expected.generationId(), actual.generationId());
        assertEquals(expected.leaderId(), actual.leaderId());
        assertEquals(expected.stateTimestamp(), actual.stateTimestamp());
        assertEquals(expected.members().size(), actual.members().size(), "members of " + expected.groupId());
        for (int i = 0; i < expected.members().size(); i++) {
            GroupSnapshot.Member e = expected.members().get(i);
            GroupSnapshot.Member a = actual.members().get(i);
            assertEquals(e.memberId(), a.memberId(), "member order is kept");
            assertEquals(e.groupInstanceId(), a.groupInstanceId());
            assertEquals(e.clientId(), a.clientId());
            assertEquals(e.clientHost(), a.clientHost());
            assertEquals(e.sessionTimeoutMs(), a.sessionTimeoutMs());
            assertEquals(e.rebalanceTimeoutMs(), a.rebalanceTimeoutMs());
            assertArrayEquals(e.subscription(), a.subscription());
            assertArrayEquals(e.assignment(), a.assignment());
        }
    }

    @Test
    void aSavedGroupLoadsBackWithItsMembersInOrder() {
        String id = uniqueName("group");
        GroupSnapshot snapshot = stable(id, 7, member("m-b", null, 2), member("m-a", "instance-1", 1),
                member("m-c", null, 3));
        storage.groupStore().save(snapshot);
        assertSameSnapshot(snapshot, load(storage, id).orElseThrow());
    }

    @Test
    void aSaveReplacesTheGroupAndAllItsMembers() {
        String id = uniqueName("group");
        storage.groupStore().save(stable(id, 1, member("a", null, 1), member("b", null, 2)));
        GroupSnapshot next = stable(id, 2, member("c", "s", 3));
        storage.groupStore().save(next);
        assertSameSnapshot(next, load(storage, id).orElseThrow());
        assertEquals(1, storage.groupStore().loadAll().stream().filter(g -> g.groupId().equals(id)).count());
    }

    @Test
    void anEmptyGroupKeepsItsNullsAndEmptyBytesStayEmpty() {
        String id = uniqueName("group");
        GroupSnapshot empty = new GroupSnapshot(id, null, null, 0, null, 42, List.of());
        storage.groupStore().save(empty);
        GroupSnapshot loaded = load(storage, id).orElseThrow();
        assertSameSnapshot(empty, loaded);
        assertNull(loaded.protocolType());

        GroupSnapshot emptyBytes = stable(id, 3, new GroupSnapshot.Member("m", null, "", "", 10, 10, new byte[0],
                new byte[0]));
        storage.groupStore().save(emptyBytes);
        assertSameSnapshot(emptyBytes, load(storage, id).orElseThrow());
    }

    @Test
    void groupIdsAreStoredExactly() {
        String id = uniqueName("Grüße ✓ \"quoted\" 'single' back\\slash %_");
        storage.groupStore().save(stable(id, 1, member("m", null, 1)));
        assertTrue(load(storage, id).isPresent());
        assertTrue(load(storage, id.toLowerCase()).isEmpty() || id.equals(id.toLowerCase()));
    }

    @Test
    void deletingAGroupDeletesItsOffsetsAndNothingElse() {
        Topic topic = createTopic(2);
        String id = uniqueName("group");
        String other = uniqueName("group");
        storage.groupStore().save(stable(id, 1, member("m", null, 1)));
        storage.groupStore().save(stable(other, 1, member("m", null, 1)));
        CommittedOffset offset = new CommittedOffset(10, -1, "", 1, OptionalLong.empty());
        storage.offsetStore().commit(id, Map.of(topic.partition(0), offset));
        storage.offsetStore().commit(other, Map.of(topic.partition(0), offset));

        storage.groupStore().delete(id);

        assertTrue(load(storage, id).isEmpty());
        assertEquals(Map.of(), storage.offsetStore().fetchAll(id));
        assertTrue(load(storage, other).isPresent());
        assertEquals(1, storage.offsetStore().fetchAll(other).size());
    }

    @Test
    void deletingAGroupThatOnlyHasOffsetsDeletesThem() {
        Topic topic = createTopic(1);
        String id = uniqueName("simple");
        storage.offsetStore().commit(id, Map.of(topic.partition(0),
                new CommittedOffset(3, -1, "", 1, OptionalLong.empty())));
        storage.groupStore().delete(id);
        assertEquals(Map.of(), storage.offsetStore().fetchAll(id));
        assertTrue(!storage.offsetStore().groupsWithOffsets().contains(id));
    }

    @Test
    void groupsSurviveAReopen() {
        String id = uniqueName("group");
        GroupSnapshot snapshot = stable(id, 4, member("a", "i", 1));
        storage.groupStore().save(snapshot);
        storage.close();
        assertSameSnapshot(snapshot, load(reopen(), id).orElseThrow());
    }

    @Test
    void concurrentSavesOfDifferentGroupsAllLand() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 8; i++) {
                String id = uniqueName("concurrent");
                ids.add(id);
                futures.add(pool.submit(() -> {
                    for (int g = 1; g <= 5; g++) {
                        storage.groupStore().save(stable(id, g, member("m" + g, null, g)));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        for (String id : ids) {
            GroupSnapshot loaded = load(storage, id).orElseThrow();
            assertEquals(5, loaded.generationId());
            assertEquals("m5", loaded.members().getFirst().memberId());
        }
    }
}
