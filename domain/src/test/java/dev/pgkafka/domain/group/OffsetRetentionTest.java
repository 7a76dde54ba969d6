package dev.pgkafka.domain.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** offsets.retention.minutes, as Kafka's offset expiration conditions state it. */
class OffsetRetentionTest {
    static final long RETENTION = 1_000_000;
    static final Function<String, String> TOPIC = key -> key.substring(0, key.indexOf('-'));

    static CommittedOffset committedAt(long timestamp) {
        return new CommittedOffset(5, -1, "", timestamp, OptionalLong.empty());
    }

    @Test
    void anEmptyGroupsOffsetsExpireARetentionAfterItBecameEmpty() {
        ClassicGroup group = emptiedAt(50_000);
        Map<String, CommittedOffset> offsets = Map.of("t-0", committedAt(0), "u-1", committedAt(40_000));
        assertEquals(Set.of(), OffsetRetention.expired(group, offsets, TOPIC, 50_000 + RETENTION - 1, RETENTION));
        assertEquals(Set.of("t-0", "u-1"), OffsetRetention.expired(group, offsets, TOPIC, 50_000 + RETENTION, RETENTION));
        assertTrue(OffsetRetention.groupExpired(group, 0));
        assertFalse(OffsetRetention.groupExpired(group, 1));
    }

    @Test
    void aGroupThatOnlyCommitsLosesEachOffsetARetentionAfterItsCommit() {
        ClassicGroup simple = new ClassicGroup("simple", GroupConfig.kafkaDefaults(), 0);
        Map<String, CommittedOffset> offsets = new LinkedHashMap<>();
        offsets.put("t-0", committedAt(0));
        offsets.put("t-1", committedAt(500_000));
        assertEquals(Set.of("t-0"), OffsetRetention.expired(simple, offsets, TOPIC, RETENTION, RETENTION));
    }

    @Test
    void anExplicitRetentionWins() {
        ClassicGroup simple = new ClassicGroup("simple", GroupConfig.kafkaDefaults(), 0);
        Map<String, CommittedOffset> offsets = Map.of("t-0",
                new CommittedOffset(5, -1, "", 0, OptionalLong.of(10)));
        assertEquals(Set.of("t-0"), OffsetRetention.expired(simple, offsets, TOPIC, 10, RETENTION));
    }

    @Test
    void aStableConsumerGroupKeepsOffsetsOfTopicsItSubscribesTo() {
        ClassicGroup group = new ClassicGroup("g", new GroupConfig(0, 300_000), 0);
        ParkedCall call = new ParkedCall();
        group.join(GroupFixtures.withVersionBefore4(GroupFixtures.join("")), "a", call, 0);
        group.tick(0);
        group.sync(GroupFixtures.leaderSync("a", 1, Map.of()), new ParkedCall(), 0);
        group.written(GroupWrite.ASSIGNMENT, true, 0);
        Map<String, CommittedOffset> offsets = Map.of("t-0", committedAt(0), "old-0", committedAt(0));
        assertEquals(Set.of("old-0"), OffsetRetention.expired(group, offsets, TOPIC, 2 * RETENTION, RETENTION));
        assertFalse(OffsetRetention.groupExpired(group, 0), "a group with members stays");
    }

    @Test
    void aRebalancingGroupKeepsEverything() {
        ClassicGroup group = new ClassicGroup("g", new GroupConfig(0, 300_000), 0);
        group.join(GroupFixtures.withVersionBefore4(GroupFixtures.join("")), "a", new ParkedCall(), 0);
        assertEquals(Set.of(), OffsetRetention.expired(group, Map.of("old-0", committedAt(0)), TOPIC, 5 * RETENTION,
                RETENTION));
    }

    private static ClassicGroup emptiedAt(long time) {
        ClassicGroup group = new ClassicGroup("g", new GroupConfig(0, 300_000), 0);
        group.join(GroupFixtures.withVersionBefore4(GroupFixtures.join("")), "a", new ParkedCall(), 0);
        group.tick(0);
        group.leave(List.of(new MemberIdentity("a", null, null)), time);
        assertEquals(GroupState.EMPTY, group.state());
        return group;
    }
}
