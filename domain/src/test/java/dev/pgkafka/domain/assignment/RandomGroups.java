package dev.pgkafka.domain.assignment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Random groups for the property tests, all drawn from one seeded {@link Random}: 0–50 members,
 * 1–10 topics of 1–64 partitions, random subscriptions (sometimes empty, sometimes naming a topic that
 * does not exist), some static members, and a random valid current assignment (no partition held
 * twice) that may name deleted partitions and topics the member no longer subscribes to.
 *
 * <p>Subscriptions come in four shapes: identical, one of 2–4 random subsets, independent random
 * subsets, and banded (each member takes two neighbouring topics of a row, with lopsided holdings),
 * the shape in which balancing needs chains of moves rather than single ones.
 */
final class RandomGroups {
    private RandomGroups() {
    }

    enum Shape { IDENTICAL, FEW_DISTINCT, RANDOM, BANDED }

    static AssignmentSpec random(Random random) {
        return random(random, Shape.values()[random.nextInt(Shape.values().length)]);
    }

    static AssignmentSpec random(Random random, Shape shape) {
        Map<UUID, Integer> topics = randomTopics(random);
        List<UUID> topicIds = new ArrayList<>(topics.keySet());
        Set<UUID> common = subset(random, topicIds, true);
        List<Set<UUID>> few = new ArrayList<>();
        for (int i = 2 + random.nextInt(3); i > 0; i--) {
            few.add(subset(random, topicIds, true));
        }
        Map<String, MemberSubscription> members = new LinkedHashMap<>();
        for (String id : memberIds(random, random.nextInt(51))) {
            Set<UUID> subscription = new HashSet<>(switch (shape) {
                case IDENTICAL -> common;
                case FEW_DISTINCT -> few.get(random.nextInt(few.size()));
                case RANDOM -> subset(random, topicIds, false);
                case BANDED -> band(random, topicIds);
            });
            if (random.nextInt(10) == 0) {
                subscription.clear(); // a member that subscribes to nothing (yet)
            }
            if (random.nextInt(10) == 0) {
                subscription.add(randomUuid(random)); // a topic that does not exist (yet)
            }
            MemberSubscription member = MemberSubscription.of(subscription);
            if (random.nextInt(3) == 0) {
                member = member.withInstanceId("instance-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
            }
            members.put(id, member);
        }
        return withRandomCurrentAssignment(random, AssignmentSpec.of(members, topics),
                shape == Shape.BANDED || shape == Shape.FEW_DISTINCT);
    }

    /**
     * A group whose members all subscribe to the same topics and hold a balanced, complete assignment:
     * every partition held once, counts differing by at most one. At least one member.
     */
    static AssignmentSpec balancedHomogeneous(Random random) {
        Map<UUID, Integer> topics = randomTopics(random);
        Set<UUID> subscription = subset(random, new ArrayList<>(topics.keySet()), true);
        List<String> ids = new ArrayList<>(memberIds(random, 1 + random.nextInt(50)));
        List<String[]> partitions = new ArrayList<>();
        for (UUID topic : subscription) {
            for (int p = 0; p < topics.get(topic); p++) {
                partitions.add(new String[] {topic.toString(), Integer.toString(p)});
            }
        }
        Collections.shuffle(partitions, random);
        Collections.shuffle(ids, random);
        Map<String, Map<UUID, Set<Integer>>> holds = new HashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            String[] tp = partitions.get(i);
            holds.computeIfAbsent(ids.get(i % ids.size()), m -> new HashMap<>())
                    .computeIfAbsent(UUID.fromString(tp[0]), t -> new HashSet<>()).add(Integer.parseInt(tp[1]));
        }
        Map<String, MemberSubscription> members = new LinkedHashMap<>();
        for (String id : ids) {
            members.put(id, MemberSubscription.of(subscription).withCurrentAssignment(holds.getOrDefault(id, Map.of())));
        }
        return AssignmentSpec.of(members, topics);
    }

    /** The same spec with its maps and sets in another order. */
    static AssignmentSpec reordered(AssignmentSpec spec, Random random) {
        List<String> ids = new ArrayList<>(spec.members().keySet());
        Collections.shuffle(ids, random);
        Map<String, MemberSubscription> members = new LinkedHashMap<>();
        for (String id : ids) {
            MemberSubscription m = spec.members().get(id);
            members.put(id, new MemberSubscription(m.instanceId(), m.rackId(), shuffled(m.subscribedTopicIds(), random),
                    shuffledAssignment(m.currentAssignment(), random)));
        }
        return new AssignmentSpec(members, shuffled(spec.topics(), random));
    }

    static String randomMemberId(Random random) {
        return "member-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    }

    private static Map<UUID, Set<Integer>> shuffledAssignment(Map<UUID, Set<Integer>> assignment, Random random) {
        Map<UUID, Set<Integer>> copy = new LinkedHashMap<>();
        shuffled(assignment.keySet(), random).forEach(t -> copy.put(t, shuffled(assignment.get(t), random)));
        return copy;
    }

    private static <K, V> Map<K, V> shuffled(Map<K, V> map, Random random) {
        Map<K, V> copy = new LinkedHashMap<>();
        shuffled(map.keySet(), random).forEach(k -> copy.put(k, map.get(k)));
        return copy;
    }

    private static <T> Set<T> shuffled(Set<T> set, Random random) {
        List<T> items = new ArrayList<>(set);
        Collections.shuffle(items, random);
        return new LinkedHashSet<>(items);
    }

    private static AssignmentSpec withRandomCurrentAssignment(Random random, AssignmentSpec spec, boolean lopsided) {
        List<String> ids = new ArrayList<>(spec.members().keySet());
        if (ids.isEmpty()) {
            return spec;
        }
        Map<String, Map<UUID, Set<Integer>>> holds = new HashMap<>();
        double held = random.nextDouble();
        for (Map.Entry<UUID, TopicMetadata> topic : spec.topics().entrySet()) {
            List<String> subscribers = ids.stream()
                    .filter(id -> spec.members().get(id).subscribedTopicIds().contains(topic.getKey())).toList();
            int partitions = topic.getValue().partitionCount() + random.nextInt(3); // some were deleted since
            for (int p = 0; p < partitions; p++) {
                if (random.nextDouble() >= held) {
                    continue;
                }
                // mostly a subscriber; sometimes a member that has unsubscribed since
                List<String> from = subscribers.isEmpty() || random.nextInt(5) == 0 ? ids : subscribers;
                int pick = random.nextInt(from.size());
                if (lopsided) {
                    pick = Math.min(pick, random.nextInt(from.size())); // favours the first subscribers
                }
                holds.computeIfAbsent(from.get(pick), m -> new HashMap<>())
                        .computeIfAbsent(topic.getKey(), t -> new HashSet<>()).add(p);
            }
        }
        if (random.nextInt(10) == 0) { // a topic deleted since
            holds.computeIfAbsent(ids.get(random.nextInt(ids.size())), m -> new HashMap<>())
                    .put(randomUuid(random), Set.of(0, 1));
        }
        Map<String, MemberSubscription> members = new LinkedHashMap<>();
        spec.members().forEach((id, m) -> members.put(id, m.withCurrentAssignment(holds.getOrDefault(id, Map.of()))));
        return new AssignmentSpec(members, spec.topics());
    }

    private static Map<UUID, Integer> randomTopics(Random random) {
        Map<UUID, Integer> topics = new LinkedHashMap<>();
        int count = 1 + random.nextInt(10);
        while (topics.size() < count) {
            topics.put(randomUuid(random), 1 + random.nextInt(64));
        }
        return topics;
    }

    /** Two neighbouring topics of the row (one if the row has one). */
    private static Set<UUID> band(Random random, List<UUID> topics) {
        int first = random.nextInt(topics.size());
        return new HashSet<>(List.of(topics.get(first), topics.get(Math.min(first + 1, topics.size() - 1))));
    }

    private static Set<UUID> subset(Random random, List<UUID> topics, boolean nonEmpty) {
        double p = random.nextDouble();
        Set<UUID> subset = new HashSet<>();
        for (UUID topic : topics) {
            if (random.nextDouble() < p) {
                subset.add(topic);
            }
        }
        if (nonEmpty && subset.isEmpty()) {
            subset.add(topics.get(random.nextInt(topics.size())));
        }
        return subset;
    }

    private static Set<String> memberIds(Random random, int count) {
        Set<String> ids = new LinkedHashSet<>();
        while (ids.size() < count) {
            ids.add(randomMemberId(random));
        }
        return ids;
    }

    private static UUID randomUuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong());
    }
}
