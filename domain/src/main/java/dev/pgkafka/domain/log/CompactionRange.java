package dev.pgkafka.domain.log;

/**
 * One compaction pass over a partition: records in {@code [from, cleanEnd)} are candidates; a key
 * seen again at a higher offset in the dirty part {@code [dirtyFrom, cleanEnd)} makes its older
 * records obsolete; tombstones below {@code tombstonesBelow} are past their delete horizon.
 */
public record CompactionRange(long from, long dirtyFrom, long cleanEnd, long tombstonesBelow) {
    public CompactionRange {
        if (from < 0 || dirtyFrom < from || cleanEnd < dirtyFrom || tombstonesBelow > cleanEnd) {
            throw new IllegalArgumentException("inconsistent compaction range " + from + "/" + dirtyFrom + "/" + cleanEnd
                    + "/" + tombstonesBelow);
        }
    }
}
