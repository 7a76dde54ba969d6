package dev.pgkafka.domain.assignment;

/**
 * Kafka's default server-side assignor, {@code uniform}. Its rules, in priority order:
 * <ol>
 *   <li>Validity: every partition of a topic with a subscriber goes to exactly one subscriber of it;
 *       nothing else is assigned.</li>
 *   <li>Balance: when all subscribed members subscribe to the same topics, their partition counts
 *       differ by at most one. Otherwise there is no improving chain of up to four transfers: no
 *       members C, B<sub>1</sub>, ..., B<sub>k</sub>, A (k ≤ 3) where C holds a partition of a topic
 *       B<sub>1</sub> subscribes to, B<sub>1</sub> one of a topic B<sub>2</sub> subscribes to, ...,
 *       B<sub>k</sub> one of a topic A subscribes to, and A holds at least two fewer than C. (k = 0:
 *       no member holds two or more than a subscriber of one of its topics.) With at most four
 *       distinct subscriptions no improving chain is left at all, and the counts are the best any
 *       assignment has: the smallest largest count, then the smallest next largest, and so on.</li>
 *   <li>Stickiness: members keep what they hold as far as balance allows. For identical
 *       subscriptions the number of partitions that change hands is the least any balanced
 *       assignment allows.</li>
 * </ol>
 * Deterministic: members, topics and partitions are handled in id order. See ADR 0009.
 */
public final class UniformAssignor implements PartitionAssignor {
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(AssignmentSpec spec) {
        IndexedGroup group = IndexedGroup.of(spec);
        int[][] current = group.currentOwners();
        int[][] target = group.isHomogeneous()
                ? UniformHomogeneousBuilder.assign(group, current)
                : UniformHeterogeneousBuilder.assign(group, current);
        return group.toAssignment(target);
    }
}
