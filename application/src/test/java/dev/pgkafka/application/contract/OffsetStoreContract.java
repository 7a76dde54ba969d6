package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/** The contract of {@link dev.pgkafka.application.port.out.OffsetStorePort}. */
public abstract class OffsetStoreContract extends StorageContract {

    static CommittedOffset offset(long offset) {
        return new CommittedOffset(offset, -1, "", 1_700_000_000_000L + offset, OptionalLong.empty());
    }

    @Test
    void committedOffsetsAreFetchedWithEveryField() {
        Topic topic = createTopic(3);
        String group = uniqueName("g");
        CommittedOffset full = new CommittedOffset(Long.MAX_VALUE - 1, 17, "metadata ✓ with a NUL \u0000 in it", 1_700_000_000_555L,
                OptionalLong.of(1_800_000_000_000L));
        storage.offsetStore().commit(group, Map.of(topic.partition(0), full, topic.partition(2), offset(0)));

        Map<TopicIdPartition, CommittedOffset> fetched = storage.offsetStore().fetch(group,
                List.of(topic.partition(0), topic.partition(1), topic.partition(2)));

        assertEquals(Map.of(topic.partition(0), full, topic.partition(2), offset(0)), fetched,
                "partition 1 has no commit and is absent");
        assertEquals(fetched, storage.offsetStore().fetchAll(group));
    }

    @Test
    void aCommitReplacesTheEarlierOneOfThePartitionOnly() {
        Topic topic = createTopic(2);
        String group = uniqueName("g");
        storage.offsetStore().commit(group, Map.of(topic.partition(0), offset(5), topic.partition(1), offset(6)));
        storage.offsetStore().commit(group, Map.of(topic.partition(0), offset(50)));
        assertEquals(Map.of(topic.partition(0), offset(50), topic.partition(1), offset(6)),
                storage.offsetStore().fetchAll(group));
    }

    @Test
    void groupsDoNotSeeEachOthersOffsets() {
        Topic topic = createTopic(1);
        String a = uniqueName("a");
        String b = uniqueName("b");
        storage.offsetStore().commit(a, Map.of(topic.partition(0), offset(1)));
        storage.offsetStore().commit(b, Map.of(topic.partition(0), offset(2)));
        assertEquals(offset(1), storage.offsetStore().fetchAll(a).get(topic.partition(0)));
        assertEquals(offset(2), storage.offsetStore().fetchAll(b).get(topic.partition(0)));
        assertTrue(storage.offsetStore().groupsWithOffsets().containsAll(Set.of(a, b)));
        assertEquals(Map.of(), storage.offsetStore().fetchAll(uniqueName("none")));
    }

    @Test
    void deletedOffsetsAreGoneAndAGroupWithoutOffsetsIsNoLongerListed() {
        Topic topic = createTopic(3);
        String group = uniqueName("g");
        storage.offsetStore().commit(group, Map.of(topic.partition(0), offset(1), topic.partition(1), offset(2)));
        storage.offsetStore().delete(group, List.of(topic.partition(0), topic.partition(2)));
        assertEquals(Map.of(topic.partition(1), offset(2)), storage.offsetStore().fetchAll(group));
        storage.offsetStore().delete(group, List.of(topic.partition(1)));
        assertTrue(!storage.offsetStore().groupsWithOffsets().contains(group));
    }

    @Test
    void deletingATopicsOffsetsLeavesOtherTopicsAlone() {
        Topic gone = createTopic(2);
        Topic kept = createTopic(1);
        String a = uniqueName("a");
        String b = uniqueName("b");
        storage.offsetStore().commit(a, Map.of(gone.partition(0), offset(1), gone.partition(1), offset(1),
                kept.partition(0), offset(3)));
        storage.offsetStore().commit(b, Map.of(gone.partition(1), offset(4)));
        storage.offsetStore().deleteTopic(gone.id());
        assertEquals(Map.of(kept.partition(0), offset(3)), storage.offsetStore().fetchAll(a));
        assertEquals(Map.of(), storage.offsetStore().fetchAll(b));
    }

    @Test
    void aCommitToAPartitionThatDoesNotExistFailsAndStoresNothingOfIt() {
        Topic topic = createTopic(1);
        String group = uniqueName("g");
        Map<TopicIdPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        offsets.put(topic.partition(0), offset(1));
        offsets.put(topic.partition(5), offset(1));
        assertThrows(StorageException.class, () -> storage.offsetStore().commit(group, offsets));
        assertEquals(Map.of(), storage.offsetStore().fetchAll(group));
    }

    @Test
    void offsetsSurviveAReopen() {
        Topic topic = createTopic(1);
        String group = uniqueName("g");
        storage.offsetStore().commit(group, Map.of(topic.partition(0), offset(99)));
        storage.close();
        StorageUnderTest again = reopen();
        assertEquals(Map.of(topic.partition(0), offset(99)), again.offsetStore().fetchAll(group));
        assertTrue(again.offsetStore().groupsWithOffsets().contains(group));
    }

    @Test
    void nothingIsPendingWithoutTransactions() {
        Topic topic = createTopic(1);
        String group = uniqueName("g");
        storage.offsetStore().commit(group, Map.of(topic.partition(0), offset(1)));
        assertEquals(Set.of(), storage.offsetStore().pendingTransactionalOffsets(group));
    }
}
