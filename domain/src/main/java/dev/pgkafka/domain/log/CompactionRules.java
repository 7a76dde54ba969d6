package dev.pgkafka.domain.log;

import java.util.Optional;

/**
 * When a compacted partition is cleaned, and over which range (Kafka's log cleaner, record by
 * record instead of segment by segment): the dirty part runs from the last pass's end to the first
 * record too young to compact ({@code min.compaction.lag.ms}) or the last stable offset; a pass
 * runs when that part is at least {@code min.cleanable.dirty.ratio} of the log, when its oldest
 * record is older than {@code max.compaction.lag.ms}, or when tombstones passed their horizon.
 */
public final class CompactionRules {
    private CompactionRules() {
    }

    /**
     * @param cleanableEnd     the first offset too young to compact (or the high watermark)
     * @param overdue          the oldest dirty record is older than {@code max.compaction.lag.ms}
     * @param tombstonesBelow  {@link CleanerCheckpoint#tombstonesBelow} now
     * @param maxDirtyRecords  the most dirty records one pass takes on (it bounds the pass's work)
     */
    public static Optional<CompactionRange> plan(PartitionHead head, CleanerCheckpoint checkpoint, long cleanableEnd,
                                                 double minDirtyRatio, boolean overdue, long tombstonesBelow,
                                                 long maxDirtyRecords) {
        long from = head.logStartOffset();
        long dirtyFrom = Math.max(checkpoint.cleanOffset(), from);
        long end = Math.max(dirtyFrom, Math.min(cleanableEnd, head.lastStableOffset()));
        long dirty = end - dirtyFrom;
        long total = end - from;
        boolean ratioReached = dirty > 0 && (double) dirty / total >= minDirtyRatio;
        boolean tombstonesDue = tombstonesBelow > Math.max(checkpoint.tombstonesRemovedBelow(), from);
        if (!(ratioReached || (overdue && dirty > 0) || tombstonesDue)) {
            return Optional.empty();
        }
        end = Math.min(end, dirtyFrom + maxDirtyRecords);
        return Optional.of(new CompactionRange(from, dirtyFrom, end, Math.max(from, Math.min(tombstonesBelow, end))));
    }
}
