package dev.pgkafka.application.service.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.RepeatedTest;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.MemberIdentity;
import dev.pgkafka.domain.group.SyncResult;

/**
 * Many members joining and leaving one group at once, each behaving as a consumer's group client
 * (join, sync, heartbeat, rejoin when told). No member that stays is ever told UNKNOWN_MEMBER_ID,
 * and once things settle every partition is owned exactly once by the members that stayed (the bug
 * another PostgreSQL-backed broker has with concurrent rebalances).
 */
class GroupCoordinatorConcurrencyTest {
    static final int PARTITIONS = 12;
    static final int MEMBERS = 10;
    static final int LEAVERS = 4;

    @RepeatedTest(3)
    void concurrentJoinsAndLeavesNeverLoseAMemberOrAnAssignment() throws Exception {
        InMemoryStorage storage = new InMemoryStorage();
        TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
        GroupSettings settings = GroupSettings.defaults().withInitialRebalanceDelayMs(0)
                .withSessionTimeoutBounds(100, 60_000);
        try (GroupCoordinator coordinator = GroupCoordinator.start(storage.groupStore(), storage.offsetStore(),
                storage.log(), topics, settings, Clock.systemUTC())) {
            List<String> violations = new CopyOnWriteArrayList<>();
            Map<String, List<Integer>> owned = new ConcurrentHashMap<>();
            Map<String, Integer> ownedGeneration = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<TestMember> stayers = new CopyOnWriteArrayList<>();
            Random random = new Random();
            for (int i = 0; i < MEMBERS; i++) {
                boolean leaves = i < LEAVERS;
                long leaveAfterMs = 50 + random.nextInt(400);
                TestMember member = new TestMember(coordinator, "g", null, 10_000, 10_000);
                if (!leaves) {
                    stayers.add(member);
                }
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                        long leaveAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaveAfterMs);
                        runMember(member, () -> stop.get() || leaves && System.nanoTime() > leaveAt, violations, owned,
                                ownedGeneration);
                        if (leaves) {
                            owned.remove(member.memberId);
                            coordinator.leaveGroup("g", List.of(new MemberIdentity(member.memberId, null, "done")));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (Throwable e) {
                        violations.add("member thread failed: " + e);
                    }
                }));
            }
            start.countDown();

            // settle: stable, every stayer synced in the current generation
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            boolean settled = false;
            while (System.nanoTime() < deadline && !settled) {
                Thread.sleep(50);
                var description = coordinator.describeGroup("g");
                settled = description.isPresent() && description.get().state() == GroupState.STABLE
                        && description.get().members().size() == MEMBERS - LEAVERS
                        && stayers.stream().allMatch(m -> ownedGeneration.getOrDefault(m.memberId, -1)
                                == description.get().generationId());
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertEquals(List.of(), violations);
            assertTrue(settled, "the group settled with every member that stayed: "
                    + coordinator.describeGroup("g") + " owned " + owned);
            Set<Integer> all = new TreeSet<>();
            int count = 0;
            for (TestMember m : stayers) {
                List<Integer> mine = owned.get(m.memberId);
                all.addAll(mine);
                count += mine.size();
            }
            assertEquals(PARTITIONS, count, "no partition owned twice: " + owned);
            assertEquals(PARTITIONS, all.size(), "every partition owned: " + owned);
        }
    }

    /** A consumer's group loop: join, sync, heartbeat every 10 ms, rejoin when told; UNKNOWN_MEMBER_ID is a bug here. */
    private static void runMember(TestMember m, java.util.function.BooleanSupplier done, List<String> violations,
                                  Map<String, List<Integer>> owned, Map<String, Integer> ownedGeneration)
            throws InterruptedException {
        while (!done.getAsBoolean()) {
            JoinResult joined = m.join();
            if (joined.error() == ErrorCode.UNKNOWN_MEMBER_ID) {
                violations.add("join of " + m.memberId + ": " + joined);
                m.memberId = "";
                continue;
            }
            if (joined.error() != ErrorCode.NONE) {
                continue;
            }
            SyncResult synced = m.sync(PARTITIONS);
            if (synced.error() == ErrorCode.UNKNOWN_MEMBER_ID) {
                violations.add("sync of " + m.memberId + " generation " + m.generation);
                m.memberId = "";
                continue;
            }
            if (synced.error() != ErrorCode.NONE) {
                continue;
            }
            owned.put(m.memberId, TestMember.decode(synced.assignment()));
            ownedGeneration.put(m.memberId, m.generation);
            while (!done.getAsBoolean()) {
                Thread.sleep(10);
                ErrorCode beat = m.heartbeat();
                if (beat == ErrorCode.UNKNOWN_MEMBER_ID) {
                    violations.add("heartbeat of " + m.memberId + " generation " + m.generation);
                    m.memberId = "";
                    break;
                }
                if (beat != ErrorCode.NONE) {
                    owned.remove(m.memberId);
                    break;
                }
            }
        }
    }
}
