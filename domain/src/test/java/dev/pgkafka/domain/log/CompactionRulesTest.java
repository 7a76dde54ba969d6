package dev.pgkafka.domain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** When compaction runs, over which range, and when tombstones may go (the delete horizon). */
class CompactionRulesTest {
    private static final long MAX_DIRTY = 1_000_000;

    @Test
    void aPassRunsWhenTheDirtyShareReachesTheRatio() {
        PartitionHead head = PartitionHead.of(0, 100);
        CleanerCheckpoint cleanTo60 = new CleanerCheckpoint(60, 0, List.of(new CleanerCheckpoint.Pass(60, 0)));

        assertEquals(Optional.of(new CompactionRange(0, 60, 100, 0)),
                CompactionRules.plan(head, cleanTo60, 100, 0.4, false, 0, MAX_DIRTY), "40 of 100 dirty");
        assertEquals(Optional.empty(), CompactionRules.plan(head, cleanTo60, 100, 0.5, false, 0, MAX_DIRTY));
        assertEquals(Optional.of(new CompactionRange(0, 60, 100, 0)),
                CompactionRules.plan(head, cleanTo60, 100, 0.5, true, 0, MAX_DIRTY), "overdue: max.compaction.lag.ms");
        assertEquals(Optional.of(new CompactionRange(0, 0, 100, 0)),
                CompactionRules.plan(head, CleanerCheckpoint.NONE, 100, 0.5, false, 0, MAX_DIRTY), "all dirty");
    }

    @Test
    void theCleanEndStopsAtYoungRecordsTheLastStableOffsetAndTheBatchBound() {
        PartitionHead head = new PartitionHead(10, 100, 90);
        assertEquals(Optional.of(new CompactionRange(10, 10, 50, 10)),
                CompactionRules.plan(head, CleanerCheckpoint.NONE, 50, 0.5, false, 0, MAX_DIRTY));
        assertEquals(Optional.of(new CompactionRange(10, 10, 90, 10)),
                CompactionRules.plan(head, CleanerCheckpoint.NONE, 100, 0.5, false, 0, MAX_DIRTY));
        assertEquals(Optional.of(new CompactionRange(10, 10, 30, 10)),
                CompactionRules.plan(head, CleanerCheckpoint.NONE, 100, 0.5, false, 0, 20));
        assertEquals(Optional.empty(),
                CompactionRules.plan(head, CleanerCheckpoint.NONE, 10, 0.0, true, 0, MAX_DIRTY), "nothing old enough");
    }

    @Test
    void tombstonesGoOnceThePassThatFirstCoveredThemIsDeleteRetentionOld() {
        long day = 86_400_000L;
        CompactionRange first = new CompactionRange(0, 0, 100, 0);
        CleanerCheckpoint afterFirst = CleanerCheckpoint.NONE.after(first, 1_000, day);
        assertEquals(0, afterFirst.tombstonesBelow(1_000 + day - 1, day));
        assertEquals(100, afterFirst.tombstonesBelow(1_000 + day, day));

        CleanerCheckpoint afterSecond = afterFirst.after(new CompactionRange(0, 100, 150, 0), 5_000, day);
        assertEquals(100, afterSecond.tombstonesBelow(1_000 + day, day), "the second pass is younger");
        assertEquals(150, afterSecond.tombstonesBelow(5_000 + day, day));

        PartitionHead head = PartitionHead.of(0, 150);
        assertEquals(Optional.of(new CompactionRange(0, 150, 150, 100)),
                CompactionRules.plan(head, afterSecond, 150, 0.5, false, afterSecond.tombstonesBelow(1_000 + day, day),
                        MAX_DIRTY), "a pass for the tombstones alone, though nothing is dirty");
        CleanerCheckpoint afterTombstones = afterSecond.after(new CompactionRange(0, 150, 150, 100), 1_000 + day, day);
        assertEquals(Optional.empty(), CompactionRules.plan(head, afterTombstones, 150, 0.5, false, 100, MAX_DIRTY),
                "and not again for the same tombstones");
    }

    @Test
    void oldPassesAreForgottenOnceANewerOneIsPastTheHorizon() {
        CleanerCheckpoint cp = CleanerCheckpoint.NONE;
        for (int i = 1; i <= 10; i++) {
            cp = cp.after(new CompactionRange(0, (i - 1) * 10L, i * 10L, 0), i * 1000L, 2500);
        }
        assertEquals(List.of(new CleanerCheckpoint.Pass(70, 7000), new CleanerCheckpoint.Pass(80, 8000),
                new CleanerCheckpoint.Pass(90, 9000), new CleanerCheckpoint.Pass(100, 10000)), cp.passes());
        assertEquals(70, cp.tombstonesBelow(10_000, 2500));
    }
}
