package dev.pgkafka.benchmarks.assignment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.pgkafka.domain.assignment.AssignmentSpec;
import dev.pgkafka.domain.assignment.GroupAssignment;
import dev.pgkafka.domain.assignment.MemberSubscription;
import dev.pgkafka.domain.assignment.PartitionAssignor;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One server-side assignment of a group of 1,000 members over 100 topics of 100 partitions (10,000
 * partitions): per assignor, subscription shape (all topics, or 10 random topics each) and what
 * changed since the last assignment (nothing assigned yet, one member joined, one left).
 * Scores are milliseconds per assignment.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AssignorBenchmark {
    static final int MEMBERS = 1_000;
    static final int TOPICS = 100;
    static final int PARTITIONS_PER_TOPIC = 100;
    static final int TOPICS_PER_MEMBER_WHEN_MIXED = 10;

    public enum Subscriptions { ALL_TOPICS, TEN_RANDOM_TOPICS }

    public enum Change { FRESH_GROUP, ONE_JOINS, ONE_LEAVES }

    @Param({"uniform", "range"})
    public String assignorName;

    @Param({"ALL_TOPICS", "TEN_RANDOM_TOPICS"})
    public Subscriptions subscriptions;

    @Param({"FRESH_GROUP", "ONE_JOINS", "ONE_LEAVES"})
    public Change change;

    private PartitionAssignor assignor;
    private AssignmentSpec spec;

    @Setup
    public void setUp() {
        assignor = PartitionAssignors.builtIn().find(assignorName).orElseThrow();
        Random random = new Random(42);
        List<UUID> topics = new ArrayList<>();
        Map<UUID, Integer> partitionCounts = new LinkedHashMap<>();
        for (int t = 0; t < TOPICS; t++) {
            topics.add(new UUID(0, t + 1));
            partitionCounts.put(topics.get(t), PARTITIONS_PER_TOPIC);
        }
        Map<String, MemberSubscription> members = new LinkedHashMap<>();
        for (int m = 0; m < MEMBERS; m++) {
            members.put(String.format("member-%04d", m), MemberSubscription.of(subscription(topics, random)));
        }
        AssignmentSpec fresh = AssignmentSpec.of(members, partitionCounts);
        if (change == Change.FRESH_GROUP) {
            spec = fresh;
            return;
        }
        GroupAssignment before = assignor.assign(fresh);
        Map<String, MemberSubscription> holding = new LinkedHashMap<>();
        members.forEach((id, m) -> holding.put(id, m.withCurrentAssignment(before.partitionsOf(id))));
        if (change == Change.ONE_JOINS) {
            holding.put("member-new", MemberSubscription.of(subscription(topics, random)));
        } else {
            holding.remove("member-0500");
        }
        spec = new AssignmentSpec(holding, fresh.topics());
    }

    private Set<UUID> subscription(List<UUID> topics, Random random) {
        if (subscriptions == Subscriptions.ALL_TOPICS) {
            return new HashSet<>(topics);
        }
        List<UUID> shuffled = new ArrayList<>(topics);
        Collections.shuffle(shuffled, random);
        return new HashSet<>(shuffled.subList(0, TOPICS_PER_MEMBER_WHEN_MIXED));
    }

    @Benchmark
    public GroupAssignment assign() {
        return assignor.assign(spec);
    }
}
