package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/** The contract of {@link dev.pgkafka.application.port.out.TopicStorePort}. */
public abstract class TopicStoreContract extends StorageContract {

    @Test
    void createdTopicIsFoundByNameAndByIdWithItsConfigs() {
        Map<String, String> configs = Map.of("retention.ms", "86400000", "cleanup.policy", "compact",
                "odd \"value\"", "quote \" backslash \\ unicode \u00e9\u4e2d emoji \ud83d\ude00");
        Topic topic = new Topic(TopicIds.random(), uniqueName("orders"), 3, configs);

        assertEquals(Optional.of(topic), storage.topics().create(topic));

        assertEquals(Optional.of(topic), storage.topics().findByName(topic.name()));
        assertEquals(Optional.of(topic), storage.topics().findById(topic.id()));
        assertEquals(configs, storage.topics().findById(topic.id()).orElseThrow().configs());
    }

    @Test
    void topicWithoutConfigsHasAnEmptyConfigMap() {
        Topic topic = createTopic(1);
        assertEquals(Map.of(), storage.topics().findByName(topic.name()).orElseThrow().configs());
    }

    @Test
    void unknownTopicsAreNotFound() {
        assertEquals(Optional.empty(), storage.topics().findByName(uniqueName("missing")));
        assertEquals(Optional.empty(), storage.topics().findById(UUID.randomUUID()));
    }

    @Test
    void createMakesEveryPartitionEmpty() {
        Topic topic = createTopic(4);
        List<TopicIdPartition> partitions = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            partitions.add(topic.partition(p));
        }
        Map<TopicIdPartition, PartitionHead> heads = storage.log().heads(partitions);
        assertEquals(4, heads.size(), "partitions 0..3 exist, 4 does not: " + heads);
        for (int p = 0; p < 4; p++) {
            assertEquals(PartitionHead.empty(), heads.get(topic.partition(p)));
        }
    }

    @Test
    void secondTopicOfTheSameNameIsRefusedAndTheFirstStays() {
        Topic first = createTopic(2);
        Topic second = new Topic(TopicIds.random(), first.name(), 5, Map.of("a", "b"));

        assertEquals(Optional.empty(), storage.topics().create(second));

        assertEquals(Optional.of(first), storage.topics().findByName(first.name()));
        assertEquals(Optional.empty(), storage.topics().findById(second.id()));
        assertTrue(storage.log().heads(List.of(second.partition(0))).isEmpty(), "no partitions of the refused topic");
    }

    @Test
    void findAllListsCreatedTopics() {
        Topic a = createTopic(1);
        Topic b = createTopic(2, Map.of("x", "y"));

        List<Topic> all = storage.topics().findAll();

        assertTrue(all.contains(a), "lists " + a.name());
        assertTrue(all.contains(b), "lists " + b.name());
    }

    @Test
    void topicsSurviveAReopen() {
        Topic topic = createTopic(2, Map.of("k", "v"));
        StorageUnderTest again = reopen();
        assertEquals(Optional.of(topic), again.topics().findByName(topic.name()));
        assertEquals(2, again.log().heads(List.of(topic.partition(0), topic.partition(1))).size());
    }

    @Test
    void concurrentCreatesOfOneNameMakeExactlyOneTopic() throws Exception {
        String name = uniqueName("race");
        int creators = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<Topic>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(creators)) {
            for (int i = 0; i < creators; i++) {
                Topic candidate = new Topic(TopicIds.random(), name, i + 1, Map.of());
                results.add(pool.submit(() -> {
                    start.await();
                    return storage.topics().create(candidate);
                }));
            }
            start.countDown();
            List<Topic> winners = new ArrayList<>();
            for (Future<Optional<Topic>> f : results) {
                f.get().ifPresent(winners::add);
            }
            assertEquals(1, winners.size(), "exactly one creator wins: " + winners);
            Topic winner = winners.getFirst();
            assertEquals(Optional.of(winner), storage.topics().findByName(name));
            List<TopicIdPartition> all = new ArrayList<>();
            for (int p = 0; p <= creators; p++) {
                all.add(winner.partition(p));
            }
            assertEquals(winner.partitionCount(), storage.log().heads(all).size(), "the winner's partitions, no more");
            assertFalse(storage.topics().findAll().stream().filter(t -> t.name().equals(name)).count() > 1);
        }
    }

    // ---- delete, configs, partitions ----

    @Test
    void aDeletedTopicIsGoneAtOnceAndItsNameIsFree() {
        Topic topic = createTopic(2, Map.of("retention.ms", "1000"));
        append(topic.partition(0), plainBatch("r", 3));

        assertEquals(Optional.of(topic), storage.topics().delete(topic.id()));

        assertEquals(Optional.empty(), storage.topics().findByName(topic.name()));
        assertEquals(Optional.empty(), storage.topics().findById(topic.id()));
        assertFalse(storage.topics().findAll().contains(topic));
        assertEquals(Map.of(), storage.log().heads(List.of(topic.partition(0), topic.partition(1))));
        assertEquals(Optional.empty(), storage.topics().delete(topic.id()), "a second delete finds nothing");
        assertEquals(Optional.empty(), reopen().topics().findByName(topic.name()));

        Topic successor = new Topic(TopicIds.random(), topic.name(), 1, Map.of());
        assertEquals(Optional.of(successor), storage.topics().create(successor));
        assertEquals(PartitionHead.empty(), storage.log().heads(List.of(successor.partition(0))).get(successor.partition(0)));
    }

    @Test
    void deletingAnUnknownTopicFindsNothing() {
        assertEquals(Optional.empty(), storage.topics().delete(UUID.randomUUID()));
    }

    @Test
    void appendsToADeletedTopicFindNoPartition() {
        Topic topic = createTopic(1);
        storage.topics().delete(topic.id());
        Map<TopicIdPartition, PartitionHead> locked = storage.log().append(
                tx -> tx.lockHeads(new java.util.TreeSet<>(List.of(topic.partition(0)))));
        assertEquals(Map.of(), locked);
    }

    @Test
    void updateConfigsReplacesTheOverrides() {
        Topic topic = createTopic(3, Map.of("retention.ms", "1000", "cleanup.policy", "compact"));
        Map<String, String> next = Map.of("retention.ms", "2000", "max.message.bytes", "4096");

        Topic updated = storage.topics().updateConfigs(topic.id(), next).orElseThrow();

        assertEquals(new Topic(topic.id(), topic.name(), 3, next), updated);
        assertEquals(Optional.of(updated), storage.topics().findByName(topic.name()));
        assertEquals(Optional.of(updated), reopen().topics().findById(topic.id()));
        assertEquals(Map.of(), storage.topics().updateConfigs(topic.id(), Map.of()).orElseThrow().configs());
        assertEquals(Optional.empty(), storage.topics().updateConfigs(UUID.randomUUID(), next));
    }

    @Test
    void addPartitionsCreatesEmptyPartitionsAndLeavesTheOthersAlone() {
        Topic topic = createTopic(2, Map.of("k", "v"));
        append(topic.partition(1), plainBatch("r", 4));

        Topic grown = storage.topics().addPartitions(topic.id(), 5).orElseThrow();

        assertEquals(new Topic(topic.id(), topic.name(), 5, Map.of("k", "v")), grown);
        assertEquals(Optional.of(grown), storage.topics().findByName(topic.name()));
        List<TopicIdPartition> all = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            all.add(topic.partition(p));
        }
        Map<TopicIdPartition, PartitionHead> heads = storage.log().heads(all);
        assertEquals(5, heads.size(), "partitions 0..4");
        assertEquals(PartitionHead.of(0, 4), heads.get(topic.partition(1)));
        assertEquals(PartitionHead.empty(), heads.get(topic.partition(4)));

        assertEquals(Optional.of(grown), storage.topics().addPartitions(topic.id(), 3), "no decrease");
        assertEquals(Optional.of(grown), storage.topics().addPartitions(topic.id(), 5), "no change");
        assertEquals(Optional.empty(), storage.topics().addPartitions(UUID.randomUUID(), 5));
    }
}
