package dev.pgkafka.domain.assignment;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;

/**
 * {@code uniform} for a group whose subscribed members all subscribe to the same topics: quotas, then
 * keep, then deal out.
 * <ol>
 *   <li>With P partitions and n members, each member's quota is ⌊P/n⌋, and P mod n members get one
 *       more: those that hold the most now (ties by member id), because only a member holding more than
 *       ⌊P/n⌋ can use the extra one to keep a partition.</li>
 *   <li>Each member keeps the partitions it holds, lowest first, up to its quota.</li>
 *   <li>The other partitions, in topic id and partition order, are dealt round-robin to the members
 *       below quota, in member id order, so that a fresh group spreads each topic over all members.</li>
 * </ol>
 * A member i holding c<sub>i</sub> keeps min(c<sub>i</sub>, quota<sub>i</sub>), which with these quotas
 * is the most any assignment whose counts differ by at most one lets the members keep. Hence: when a
 * member joins a balanced group of n, exactly ⌊P/(n+1)⌋ partitions move, all to it; when one leaves,
 * exactly its partitions move; when partitions are added, or a topic to every subscription, no held
 * partition moves.
 */
final class UniformHomogeneousBuilder {
    private UniformHomogeneousBuilder() {
    }

    static int[][] assign(IndexedGroup group, int[][] current) {
        int[][] target = group.emptyAssignment();
        int[] members = group.subscribedMembers();
        if (members.length == 0) {
            return target;
        }
        int[] held = new int[group.memberCount()];
        for (int[] owners : current) {
            for (int owner : owners) {
                if (owner != IndexedGroup.NONE) {
                    held[owner]++;
                }
            }
        }

        long total = group.totalPartitions();
        int minQuota = Math.toIntExact(total / members.length);
        int withExtra = (int) (total % members.length);
        Integer[] byHeld = Arrays.stream(members).boxed().toArray(Integer[]::new);
        Arrays.sort(byHeld, Comparator.comparingInt((Integer m) -> -held[m]).thenComparingInt(m -> m));
        int[] quota = new int[group.memberCount()];
        for (int i = 0; i < byHeld.length; i++) {
            quota[byHeld[i]] = minQuota + (i < withExtra ? 1 : 0);
        }

        int[] filled = new int[group.memberCount()];
        for (int t = 0; t < current.length; t++) {
            for (int p = 0; p < current[t].length; p++) {
                int owner = current[t][p];
                if (owner != IndexedGroup.NONE && filled[owner] < quota[owner]) {
                    target[t][p] = owner;
                    filled[owner]++;
                }
            }
        }

        ArrayDeque<Integer> belowQuota = new ArrayDeque<>();
        for (int m : members) {
            if (filled[m] < quota[m]) {
                belowQuota.add(m);
            }
        }
        for (int[] owners : target) {
            for (int p = 0; p < owners.length; p++) {
                if (owners[p] == IndexedGroup.NONE) {
                    int m = belowQuota.remove(); // the quotas add up to the partitions: never empty here
                    owners[p] = m;
                    if (++filled[m] < quota[m]) {
                        belowQuota.add(m);
                    }
                }
            }
        }
        return target;
    }
}
