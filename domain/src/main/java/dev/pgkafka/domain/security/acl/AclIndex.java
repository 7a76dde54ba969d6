package dev.pgkafka.domain.security.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * An immutable set of ACLs arranged for authorization: per resource type, literal names in a hash
 * map, prefixes in a hash map probed once per distinct prefix length, and within each name the
 * entries by principal. A decision therefore costs a few hash lookups however many ACLs there are.
 * Describe and delete filters scan the bindings of the filter's type (Kafka scans all of them too).
 */
public final class AclIndex {
    /** Describe output and storage order: by resource, then by entry. */
    static final Comparator<AclBinding> ORDER = Comparator
            .comparing((AclBinding b) -> b.pattern().resourceType())
            .thenComparing(b -> b.pattern().patternType())
            .thenComparing(b -> b.pattern().name())
            .thenComparing(b -> b.entry().principal())
            .thenComparing(b -> b.entry().host())
            .thenComparing(b -> b.entry().operation())
            .thenComparing(b -> b.entry().permission());

    public static final AclIndex EMPTY = new AclIndex(List.of());

    private final List<AclBinding> bindings;
    private final Set<AclBinding> members;
    private final Map<ResourceType, TypeIndex> byType = new EnumMap<>(ResourceType.class);

    private AclIndex(List<AclBinding> sorted) {
        this.bindings = sorted;
        this.members = Set.copyOf(sorted);
        Map<ResourceType, TypeIndex.Builder> builders = new EnumMap<>(ResourceType.class);
        for (AclBinding b : sorted) {
            builders.computeIfAbsent(b.pattern().resourceType(), t -> new TypeIndex.Builder()).add(b);
        }
        builders.forEach((type, builder) -> byType.put(type, builder.build()));
    }

    /** The bindings, each once, however often they are given. */
    public static AclIndex of(Collection<AclBinding> bindings) {
        if (bindings.isEmpty()) {
            return EMPTY;
        }
        TreeSet<AclBinding> sorted = new TreeSet<>(ORDER);
        sorted.addAll(bindings);
        return new AclIndex(List.copyOf(sorted));
    }

    /** Every binding, in a stable order (resource type, pattern type, name, principal, host, operation, permission). */
    public List<AclBinding> bindings() {
        return bindings;
    }

    public int size() {
        return bindings.size();
    }

    public boolean contains(AclBinding binding) {
        return members.contains(binding);
    }

    /** The bindings the filter matches (Kafka's {@code AclBindingFilter.matches}), in {@link #bindings()} order. */
    public List<AclBinding> select(AclBindingFilter filter) {
        ResourceType type = filter.patternFilter().resourceType();
        List<AclBinding> candidates;
        if (type == ResourceType.ANY) {
            candidates = bindings;
        } else {
            TypeIndex t = byType.get(type);
            candidates = t == null ? List.of() : t.bindings;
        }
        List<AclBinding> selected = new ArrayList<>();
        for (AclBinding b : candidates) {
            if (filter.matches(b)) {
                selected.add(b);
            }
        }
        return selected;
    }

    /** The ACLs of one resource type, or null when there are none. */
    TypeIndex ofType(ResourceType type) {
        return byType.get(type);
    }

    /** One ACL ready for matching: its principal parsed once, as Kafka's {@code StandardAcl.kafkaPrincipal}. */
    record Entry(AclBinding binding, AclOperation operation, AclPermissionType permission, String host) {
        static KafkaPrincipal principalOf(AclBinding binding) {
            String text = binding.entry().principal();
            int colon = text.indexOf(':');
            // validation refuses a principal without a colon; such an entry would match nobody
            return colon < 0 ? null : new KafkaPrincipal(text.substring(0, colon), text.substring(colon + 1));
        }
    }

    /** The entries of one resource pattern, by principal. */
    record Bucket(Map<KafkaPrincipal, List<Entry>> byPrincipal) {
        List<Entry> of(KafkaPrincipal principal) {
            return byPrincipal.getOrDefault(principal, List.of());
        }
    }

    /** The ACLs of one resource type. */
    static final class TypeIndex {
        final List<AclBinding> bindings;
        final Map<String, Bucket> literal;
        final Map<String, Bucket> prefixed;
        /** The distinct lengths of the PREFIXED names, ascending: a name is probed once per length. */
        final int[] prefixLengths;
        /** Every entry by principal (authorizeByResourceType looks at the requester's and User:*). */
        final Map<KafkaPrincipal, List<Entry>> byPrincipal;

        private TypeIndex(List<AclBinding> bindings, Map<String, Bucket> literal, Map<String, Bucket> prefixed,
                          int[] prefixLengths, Map<KafkaPrincipal, List<Entry>> byPrincipal) {
            this.bindings = bindings;
            this.literal = literal;
            this.prefixed = prefixed;
            this.prefixLengths = prefixLengths;
            this.byPrincipal = byPrincipal;
        }

        private static final class Builder {
            private final List<AclBinding> bindings = new ArrayList<>();
            private final Map<String, Map<KafkaPrincipal, List<Entry>>> literal = new HashMap<>();
            private final Map<String, Map<KafkaPrincipal, List<Entry>>> prefixed = new HashMap<>();
            private final Map<KafkaPrincipal, List<Entry>> byPrincipal = new HashMap<>();

            void add(AclBinding b) {
                bindings.add(b);
                Map<String, Map<KafkaPrincipal, List<Entry>>> names =
                        b.pattern().patternType() == PatternType.PREFIXED ? prefixed : literal;
                Map<KafkaPrincipal, List<Entry>> bucket = names.computeIfAbsent(b.pattern().name(), n -> new HashMap<>());
                KafkaPrincipal principal = Entry.principalOf(b);
                Entry entry = new Entry(b, b.entry().operation(), b.entry().permission(), b.entry().host());
                // an unparsable principal still makes the resource "have ACLs", so it gets a bucket
                if (principal != null) {
                    bucket.computeIfAbsent(principal, p -> new ArrayList<>()).add(entry);
                    byPrincipal.computeIfAbsent(principal, p -> new ArrayList<>()).add(entry);
                }
            }

            TypeIndex build() {
                Set<Integer> lengths = new LinkedHashSet<>();
                prefixed.keySet().stream().map(String::length).sorted().forEach(lengths::add);
                return new TypeIndex(List.copyOf(bindings), freeze(literal), freeze(prefixed),
                        lengths.stream().mapToInt(Integer::intValue).toArray(), copy(byPrincipal));
            }

            private static Map<String, Bucket> freeze(Map<String, Map<KafkaPrincipal, List<Entry>>> names) {
                Map<String, Bucket> out = new HashMap<>(names.size() * 2);
                names.forEach((name, bucket) -> out.put(name, new Bucket(copy(bucket))));
                return out;
            }

            private static Map<KafkaPrincipal, List<Entry>> copy(Map<KafkaPrincipal, List<Entry>> in) {
                Map<KafkaPrincipal, List<Entry>> out = new HashMap<>(in.size() * 2);
                in.forEach((p, entries) -> out.put(p, List.copyOf(entries)));
                return out;
            }
        }
    }
}
