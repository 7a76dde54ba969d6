package dev.pgkafka.application.service.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.memory.JdkRegexEngine;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.consumer.ConsumerGroupConfig;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Eight members heartbeat, leave and rejoin one group from eight threads at once. A member gives a
 * partition up as soon as an answer no longer lists it and takes one as soon as an answer does; at no
 * moment may two members hold the same partition, and no member that stays is ever told it is unknown.
 */
class ConsumerGroupCoordinatorConcurrencyTest {
    private final Map<TopicIdPartition, String> holders = new HashMap<>();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    @Test
    void concurrentMembersNeverHoldAPartitionTwice() throws Exception {
        InMemoryStorage storage = new InMemoryStorage();
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
        Topic topic = topics.create(new CreateTopicCommand("orders", 24, Map.of(), false)).topic();
        try (GroupCoordinator classic = GroupCoordinator.start(storage.groupStore(), storage.offsetStore(), storage.log(),
                topics, GroupSettings.defaults(), clock);
             ConsumerGroupCoordinator coordinator = ConsumerGroupCoordinator.start(classic, storage.consumerGroupStore(),
                     storage.offsetStore(), topics, new ConsumerGroupConfig(60_000, 1_000, 100),
                     PartitionAssignors.builtIn(), JdkRegexEngine.INSTANCE, clock, false)) {
            int members = 8;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Member> all = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                Member m = new Member(coordinator, "m" + i, new Random(i));
                all.add(m);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        m.run(300);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join(60_000);
            }
            for (int round = 0; round < 20; round++) {
                for (Member m : all) {
                    m.beat();
                }
            }
            assertEquals(List.of(), List.copyOf(violations));
            var described = coordinator.describe(List.of("g")).getFirst().description();
            assertEquals(ConsumerGroupState.STABLE, described.state());
            assertEquals(members, described.members().size());
            Set<TopicIdPartition> owned = new HashSet<>();
            for (Member m : all) {
                assertEquals(3, m.owned.getOrDefault(topic.id(), Set.of()).size(), m.id);
                m.owned.get(topic.id()).forEach(p -> owned.add(new TopicIdPartition(topic.id(), p)));
            }
            assertEquals(24, owned.size());
            assertTrue(all.stream().allMatch(m -> m.unexpected.isEmpty()), "unexpected answers");
        }
    }

    private synchronized void apply(String member, Map<UUID, Set<Integer>> before, Map<UUID, Set<Integer>> after) {
        before.forEach((t, ps) -> ps.forEach(p -> {
            if (!after.getOrDefault(t, Set.of()).contains(p)) {
                holders.remove(new TopicIdPartition(t, p), member);
            }
        }));
        after.forEach((t, ps) -> ps.forEach(p -> {
            String holder = holders.putIfAbsent(new TopicIdPartition(t, p), member);
            if (holder != null && !holder.equals(member)) {
                violations.add(t + "-" + p + " given to " + member + " while " + holder + " holds it");
            }
        }));
    }

    private final class Member {
        final ConsumerGroupCoordinator coordinator;
        final String id;
        final Random random;
        final List<String> unexpected = new ArrayList<>();
        Map<UUID, Set<Integer>> owned = Map.of();
        int epoch;

        Member(ConsumerGroupCoordinator coordinator, String id, Random random) {
            this.coordinator = coordinator;
            this.id = id;
            this.random = random;
        }

        void run(int steps) {
            for (int i = 0; i < steps; i++) {
                if (epoch > 0 && random.nextInt(40) == 0) {
                    // a consumer gives its partitions up (onPartitionsRevoked) before it sends the leave
                    apply(id, owned, Map.of());
                    owned = Map.of();
                    ConsumerHeartbeatResult left = coordinator.heartbeat("g", new ConsumerHeartbeat(id, -1, null, null, -1,
                            null, null, null, null, "c", "h", true));
                    expect(left);
                    epoch = 0;
                } else {
                    beat();
                }
            }
        }

        void beat() {
            boolean join = epoch == 0;
            ConsumerHeartbeatResult r = coordinator.heartbeat("g", new ConsumerHeartbeat(id, epoch, null, null,
                    join ? 30_000 : -1, join ? List.of("orders") : null, null, null, owned, "c", "h", true));
            expect(r);
            if (r.error() == ErrorCode.NONE) {
                epoch = r.memberEpoch();
                if (r.assignment() != null) {
                    apply(id, owned, r.assignment());
                    owned = r.assignment();
                }
            }
        }

        private void expect(ConsumerHeartbeatResult r) {
            if (r.error() != ErrorCode.NONE) {
                unexpected.add(r.error() + ": " + r.errorMessage());
            }
        }
    }
}
