package dev.pgkafka.domain.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Where compaction of a partition stands: records below {@code cleanOffset} were compacted, each
 * past pass is remembered by the end of its range and its time (a tombstone may go once the first
 * pass that covered it is {@code delete.retention.ms} old, Kafka's delete horizon), and tombstones
 * below {@code tombstonesRemovedBelow} are gone.
 */
public record CleanerCheckpoint(long cleanOffset, long tombstonesRemovedBelow, List<Pass> passes) {
    public static final CleanerCheckpoint NONE = new CleanerCheckpoint(0, 0, List.of());

    public CleanerCheckpoint {
        passes = List.copyOf(passes);
    }

    /** A compaction pass: it covered the offsets below {@code end} at {@code atMs}. */
    public record Pass(long end, long atMs) {
    }

    /**
     * Tombstones below this offset have passed their delete horizon: some pass that covered them is
     * at least {@code deleteRetentionMs} old (0 when none is).
     */
    public long tombstonesBelow(long nowMs, long deleteRetentionMs) {
        long below = 0;
        for (Pass p : passes) {
            if (p.atMs <= nowMs - deleteRetentionMs) {
                below = Math.max(below, p.end);
            }
        }
        return below;
    }

    /**
     * The checkpoint after a pass over {@code range} at {@code nowMs}. Passes older than the newest
     * one past the horizon are forgotten: that one alone decides for every offset below it.
     */
    public CleanerCheckpoint after(CompactionRange range, long nowMs, long deleteRetentionMs) {
        List<Pass> kept = new ArrayList<>();
        Pass newestPast = null;
        for (Pass p : passes) {
            if (p.atMs <= nowMs - deleteRetentionMs) {
                if (newestPast == null || p.atMs >= newestPast.atMs) {
                    newestPast = p;
                }
            } else {
                kept.add(p);
            }
        }
        if (newestPast != null) {
            kept.addFirst(newestPast);
        }
        if (range.cleanEnd() > cleanOffset) {
            kept.add(new Pass(range.cleanEnd(), nowMs));
        }
        return new CleanerCheckpoint(Math.max(cleanOffset, range.cleanEnd()),
                Math.max(tombstonesRemovedBelow, range.tombstonesBelow()), kept);
    }
}
