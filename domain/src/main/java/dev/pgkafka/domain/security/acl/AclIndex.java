package dev.pgkafka.domain.security.acl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * An immutable set of ACLs arranged for authorization: per resource type, literal names in a hash
 * map, prefixes in a hash map probed once per distinct prefix length, and within a name with many
 * entries, the entries by principal. A decision therefore costs a few hash lookups however many
 * ACLs there are.
 * Describe and delete filters scan the bindings of the filter's type (Kafka scans all of them too).
 */
public final class AclIndex {
    /** Describe output and storage order: by resource, then by entry. */
    static final Comparator<AclBinding> ORDER = (a, b) -> {
        ResourcePattern p = a.pattern();
        ResourcePattern q = b.pattern();
        int c = p.resourceType().compareTo(q.resourceType());
        if (c == 0) {
            c = p.patternType().compareTo(q.patternType());
        }
        if (c == 0) {
            c = p.name().compareTo(q.name());
        }
        AccessControlEntry e = a.entry();
        AccessControlEntry f = b.entry();
        if (c == 0) {
            c = e.principal().compareTo(f.principal());
        }
        if (c == 0) {
            c = e.host().compareTo(f.host());
        }
        if (c == 0) {
            c = e.operation().compareTo(f.operation());
        }
        return c != 0 ? c : e.permission().compareTo(f.permission());
    };

    public static final AclIndex EMPTY = new AclIndex(List.of());

    private final List<AclBinding> bindings;
    private final Map<ResourceType, TypeIndex> byType = new EnumMap<>(ResourceType.class);

    private AclIndex(List<AclBinding> sorted) {
        this.bindings = sorted;
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
        List<AclBinding> sorted = new ArrayList<>(new HashSet<>(bindings));
        sorted.sort(ORDER);
        return new AclIndex(Collections.unmodifiableList(sorted));
    }

    /** Every binding, in a stable order (resource type, pattern type, name, principal, host, operation, permission). */
    public List<AclBinding> bindings() {
        return bindings;
    }

    public int size() {
        return bindings.size();
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

    /**
     * One ACL ready for matching, its principal parsed once as Kafka's {@code StandardAcl.kafkaPrincipal}
     * does (null when it has no colon: validation refuses those, and such an entry matches nobody).
     */
    record Entry(AclBinding binding, KafkaPrincipal principal, AclOperation operation, AclPermissionType permission,
                 String host) {
        static Entry of(AclBinding b) {
            String text = b.entry().principal();
            int colon = text.indexOf(':');
            KafkaPrincipal principal = colon < 0 ? null
                    : new KafkaPrincipal(text.substring(0, colon), text.substring(colon + 1));
            return new Entry(b, principal, b.entry().operation(), b.entry().permission(), b.entry().host());
        }
    }

    /**
     * The entries of one resource pattern. Most patterns have a handful, scanned in a row; a pattern
     * with many principals also gets a map by principal, so one decision never scans them all.
     */
    static final class Bucket {
        private static final int SCAN_LIMIT = 8;
        final Entry[] entries;
        /** Null when there are few entries. */
        final Map<KafkaPrincipal, Entry[]> byPrincipal;

        private Bucket(List<Entry> list) {
            this.entries = list.toArray(new Entry[0]);
            if (entries.length <= SCAN_LIMIT) {
                this.byPrincipal = null;
            } else {
                Map<KafkaPrincipal, List<Entry>> grouped = new HashMap<>();
                for (Entry e : entries) {
                    if (e.principal() != null) {
                        grouped.computeIfAbsent(e.principal(), p -> new ArrayList<>()).add(e);
                    }
                }
                Map<KafkaPrincipal, Entry[]> map = new HashMap<>(grouped.size() * 2);
                grouped.forEach((p, es) -> map.put(p, es.toArray(new Entry[0])));
                this.byPrincipal = map;
            }
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

        private TypeIndex(Builder b) {
            this.bindings = Collections.unmodifiableList(b.bindings);
            this.literal = buckets(b.literal);
            this.prefixed = buckets(b.prefixed);
            this.prefixLengths = b.prefixed.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
            this.byPrincipal = b.byPrincipal;
        }

        private static Map<String, Bucket> buckets(Map<String, List<Entry>> names) {
            Map<String, Bucket> out = new HashMap<>(names.size() * 2);
            names.forEach((name, entries) -> out.put(name, new Bucket(entries)));
            return out;
        }

        private static final class Builder {
            private final List<AclBinding> bindings = new ArrayList<>();
            private final Map<String, List<Entry>> literal = new HashMap<>();
            private final Map<String, List<Entry>> prefixed = new HashMap<>();
            private final Map<KafkaPrincipal, List<Entry>> byPrincipal = new HashMap<>();

            void add(AclBinding b) {
                bindings.add(b);
                Entry entry = Entry.of(b);
                Map<String, List<Entry>> names = b.pattern().patternType() == PatternType.PREFIXED ? prefixed : literal;
                // an unparsable principal still makes the resource "have ACLs", so it joins its bucket
                names.computeIfAbsent(b.pattern().name(), n -> new ArrayList<>(2)).add(entry);
                if (entry.principal() != null) {
                    byPrincipal.computeIfAbsent(entry.principal(), p -> new ArrayList<>()).add(entry);
                }
            }

            TypeIndex build() {
                return new TypeIndex(this);
            }
        }
    }
}
