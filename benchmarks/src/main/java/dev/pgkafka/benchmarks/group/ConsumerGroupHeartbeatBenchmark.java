package dev.pgkafka.benchmarks.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.pgkafka.adapter.kafka.regex.Re2jRegexEngine;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.group.consumer.ConsumerGroup;
import dev.pgkafka.domain.group.consumer.ConsumerGroupConfig;
import dev.pgkafka.domain.group.consumer.ConsumerGroupSnapshot;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;
import dev.pgkafka.domain.group.consumer.TopicImage;
import dev.pgkafka.domain.topic.Topic;

/**
 * The coordinator's CPU per ConsumerGroupHeartbeat (the domain only, no storage): a stable member's
 * heartbeat (the subscribed topics are checked for changes every time), and a member joining a stable
 * group of {@code members} on one topic of 1,000 partitions in a cluster of {@code clusterTopics} topics,
 * until every member is reconciled (the new target assignment included). Microseconds per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConsumerGroupHeartbeatBenchmark {
    private static final ConsumerGroupConfig CONFIG = new ConsumerGroupConfig(45_000, 5_000, Integer.MAX_VALUE);
    private static final PartitionAssignors ASSIGNORS = PartitionAssignors.builtIn();

    @Param({"10", "100", "1000"})
    public int members;

    @Param({"1", "1000"})
    public int clusterTopics;

    private TopicImage image;
    private ConsumerGroupSnapshot stable;
    private ConsumerGroup group;
    private List<Member> clients;
    private long now;

    private static final class Member {
        final String id;
        int epoch;
        Map<UUID, Set<Integer>> owned = Map.of();

        Member(String id) {
            this.id = id;
        }

        ConsumerHeartbeatResult beat(ConsumerGroup group, TopicImage image, long now) {
            boolean join = epoch == 0;
            ConsumerHeartbeatResult r = group.heartbeat(new ConsumerHeartbeat(id, epoch, null, null, join ? 300_000 : -1,
                    join ? List.of("orders") : null, null, null, owned, "bench", "/127.0.0.1", true), id, image,
                    ASSIGNORS, now).result();
            epoch = r.memberEpoch();
            if (r.assignment() != null) {
                owned = r.assignment();
            }
            return r;
        }
    }

    @Setup(Level.Trial)
    public void buildStableGroup() {
        List<Topic> topics = new ArrayList<>();
        topics.add(new Topic(new UUID(1, 0), "orders", 1_000, Map.of()));
        for (int t = 1; t < clusterTopics; t++) {
            topics.add(new Topic(new UUID(1, t), "other-" + t, 10, Map.of()));
        }
        image = new TopicImage(topics);
        ConsumerGroup g = new ConsumerGroup("bench", CONFIG, Re2jRegexEngine.INSTANCE);
        List<Member> all = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            Member member = new Member(String.format("member-%05d", m));
            all.add(member);
            member.beat(g, image, 0);
        }
        settle(g, all);
        stable = g.snapshot();
        steadyGroup();
    }

    /** The stable group restored afresh before every join (outside the measured time). */
    @State(Scope.Thread)
    public static class Fresh {
        ConsumerGroup group;
        List<Member> clients;

        @Setup(Level.Invocation)
        public void restore(ConsumerGroupHeartbeatBenchmark b) {
            group = ConsumerGroup.restore(b.stable, CONFIG, Re2jRegexEngine.INSTANCE, b.now);
            clients = b.clientsOf(b.stable);
        }
    }

    private void steadyGroup() {
        group = ConsumerGroup.restore(stable, CONFIG, Re2jRegexEngine.INSTANCE, now);
        clients = clientsOf(stable);
    }

    private List<Member> clientsOf(ConsumerGroupSnapshot snapshot) {
        List<Member> result = new ArrayList<>();
        for (var m : snapshot.members()) {
            Member c = new Member(m.memberId());
            c.epoch = m.memberEpoch();
            c.owned = m.assignedPartitions();
            result.add(c);
        }
        return result;
    }

    /** One heartbeat of a stable member: nothing changes. */
    @Benchmark
    public ConsumerHeartbeatResult steadyHeartbeat() {
        return clients.getFirst().beat(group, image, ++now);
    }

    /** A member joins; heartbeats until every member is reconciled to the new target. */
    @Benchmark
    public int joinUntilReconciled(Fresh fresh) {
        ConsumerGroup group = fresh.group;
        List<Member> clients = fresh.clients;
        Member newcomer = new Member("member-new");
        clients.add(newcomer);
        newcomer.beat(group, image, ++now);
        return settle(group, clients);
    }

    private int settle(ConsumerGroup g, List<Member> all) {
        int heartbeats = 0;
        for (int round = 0; round < 10; round++) {
            for (Member m : all) {
                m.beat(g, image, ++now);
                heartbeats++;
            }
            if (g.state() == dev.pgkafka.domain.group.consumer.ConsumerGroupState.STABLE) {
                break;
            }
        }
        return heartbeats;
    }
}
