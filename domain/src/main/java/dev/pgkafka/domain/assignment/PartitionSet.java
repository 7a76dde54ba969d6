package dev.pgkafka.domain.assignment;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * An immutable set of partition numbers backed by a sorted {@code int[]}: iterates in ascending order,
 * costs four bytes a partition, and answers {@code contains} by binary search. Equal to any
 * {@link java.util.Set} with the same elements.
 */
final class PartitionSet extends AbstractSet<Integer> {
    static final PartitionSet EMPTY = new PartitionSet(new int[0]);

    private final int[] sorted;

    private PartitionSet(int[] sorted) {
        this.sorted = sorted;
    }

    static PartitionSet of(Collection<Integer> partitions) {
        if (partitions instanceof PartitionSet set) {
            return set;
        }
        int[] values = new int[partitions.size()];
        int i = 0;
        for (Integer p : partitions) {
            values[i++] = Objects.requireNonNull(p, "partition");
        }
        Arrays.sort(values);
        int distinct = 0;
        for (int j = 0; j < values.length; j++) {
            if (j == 0 || values[j] != values[j - 1]) {
                values[distinct++] = values[j];
            }
        }
        return ofSorted(distinct == values.length ? values : Arrays.copyOf(values, distinct));
    }

    /** Wraps, without copying, an array the caller has sorted, freed of duplicates and will not change. */
    static PartitionSet ofSorted(int[] sortedDistinct) {
        return sortedDistinct.length == 0 ? EMPTY : new PartitionSet(sortedDistinct);
    }

    @Override
    public int size() {
        return sorted.length;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof Integer p && Arrays.binarySearch(sorted, p) >= 0;
    }

    @Override
    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < sorted.length;
            }

            @Override
            public Integer next() {
                if (next >= sorted.length) {
                    throw new NoSuchElementException();
                }
                return sorted[next++];
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof PartitionSet other) {
            return Arrays.equals(sorted, other.sorted);
        }
        return super.equals(o);
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int p : sorted) {
            h += p; // Integer.hashCode(p) == p: the same hash as any other Set<Integer>
        }
        return h;
    }
}
