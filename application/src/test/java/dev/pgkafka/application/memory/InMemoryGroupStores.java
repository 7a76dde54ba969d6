package dev.pgkafka.application.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.pgkafka.application.port.out.ConsumerGroupStorePort;
import dev.pgkafka.application.port.out.GroupStorePort;
import dev.pgkafka.application.port.out.OffsetStorePort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.group.GroupSnapshot;
import dev.pgkafka.domain.group.consumer.ConsumerGroupChanges;
import dev.pgkafka.domain.group.consumer.ConsumerGroupSnapshot;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Group metadata and committed offsets in memory. One monitor guards both, so that deleting a group
 * with its offsets is atomic, as a database transaction makes it.
 */
final class InMemoryGroupStores {
    private final Map<TopicIdPartition, InMemoryPartition> partitions;
    // guarded by this
    private final Map<String, GroupSnapshot> groups = new LinkedHashMap<>();
    private final Map<String, Map<TopicIdPartition, CommittedOffset>> offsets = new HashMap<>();

    private final Map<String, ConsumerGroupSnapshot> consumerGroups = new LinkedHashMap<>();

    private final GroupStorePort groupStore = new Groups();
    private final ConsumerGroupStorePort consumerGroupStore = new ConsumerGroups();
    private final OffsetStorePort offsetStore = new Offsets();

    InMemoryGroupStores(Map<TopicIdPartition, InMemoryPartition> partitions) {
        this.partitions = partitions;
    }

    GroupStorePort groupStore() {
        return groupStore;
    }

    OffsetStorePort offsetStore() {
        return offsetStore;
    }

    ConsumerGroupStorePort consumerGroupStore() {
        return consumerGroupStore;
    }

    /** Snapshots are immutable values: storing them as they are is storing a copy. */
    private final class ConsumerGroups implements ConsumerGroupStorePort {
        @Override
        public List<ConsumerGroupSnapshot> loadAll() {
            synchronized (InMemoryGroupStores.this) {
                return List.copyOf(consumerGroups.values());
            }
        }

        @Override
        public void save(ConsumerGroupSnapshot snapshot) {
            synchronized (InMemoryGroupStores.this) {
                groups.remove(snapshot.groupId());
                consumerGroups.put(snapshot.groupId(), snapshot);
            }
        }

        @Override
        public void update(ConsumerGroupChanges changes) {
            synchronized (InMemoryGroupStores.this) {
                consumerGroups.put(changes.groupId(), changes.applyTo(consumerGroups.get(changes.groupId())));
            }
        }

        @Override
        public void delete(String groupId, boolean withOffsets) {
            synchronized (InMemoryGroupStores.this) {
                consumerGroups.remove(groupId);
                if (withOffsets) {
                    offsets.remove(groupId);
                }
            }
        }
    }

    private final class Groups implements GroupStorePort {
        @Override
        public List<GroupSnapshot> loadAll() {
            synchronized (InMemoryGroupStores.this) {
                return List.copyOf(groups.values());
            }
        }

        @Override
        public void save(GroupSnapshot snapshot) {
            synchronized (InMemoryGroupStores.this) {
                groups.put(snapshot.groupId(), copy(snapshot));
            }
        }

        @Override
        public void delete(String groupId) {
            synchronized (InMemoryGroupStores.this) {
                groups.remove(groupId);
                offsets.remove(groupId);
            }
        }

        /** Byte arrays are copied, as a database would store them. */
        private GroupSnapshot copy(GroupSnapshot s) {
            List<GroupSnapshot.Member> members = new ArrayList<>();
            for (GroupSnapshot.Member m : s.members()) {
                members.add(new GroupSnapshot.Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                        m.sessionTimeoutMs(), m.rebalanceTimeoutMs(), m.subscription().clone(), m.assignment().clone()));
            }
            return new GroupSnapshot(s.groupId(), s.protocolType(), s.protocolName(), s.generationId(), s.leaderId(),
                    s.stateTimestamp(), members);
        }
    }

    private final class Offsets implements OffsetStorePort {
        @Override
        public void commit(String groupId, Map<TopicIdPartition, CommittedOffset> committed) {
            synchronized (InMemoryGroupStores.this) {
                for (TopicIdPartition tp : committed.keySet()) {
                    if (!partitions.containsKey(tp)) {
                        throw new StorageException("commit offsets of group " + groupId + " failed: no partition " + tp,
                                null);
                    }
                }
                offsets.computeIfAbsent(groupId, g -> new HashMap<>()).putAll(committed);
            }
        }

        @Override
        public Map<TopicIdPartition, CommittedOffset> fetch(String groupId, Collection<TopicIdPartition> wanted) {
            synchronized (InMemoryGroupStores.this) {
                Map<TopicIdPartition, CommittedOffset> group = offsets.getOrDefault(groupId, Map.of());
                Map<TopicIdPartition, CommittedOffset> found = new HashMap<>();
                for (TopicIdPartition tp : wanted) {
                    CommittedOffset o = group.get(tp);
                    if (o != null) {
                        found.put(tp, o);
                    }
                }
                return found;
            }
        }

        @Override
        public Map<TopicIdPartition, CommittedOffset> fetchAll(String groupId) {
            synchronized (InMemoryGroupStores.this) {
                return new HashMap<>(offsets.getOrDefault(groupId, Map.of()));
            }
        }

        @Override
        public void delete(String groupId, Collection<TopicIdPartition> gone) {
            synchronized (InMemoryGroupStores.this) {
                Map<TopicIdPartition, CommittedOffset> group = offsets.get(groupId);
                if (group != null) {
                    gone.forEach(group::remove);
                    if (group.isEmpty()) {
                        offsets.remove(groupId);
                    }
                }
            }
        }

        @Override
        public Set<String> groupsWithOffsets() {
            synchronized (InMemoryGroupStores.this) {
                return new HashSet<>(offsets.keySet());
            }
        }

        @Override
        public void deleteTopic(UUID topicId) {
            synchronized (InMemoryGroupStores.this) {
                offsets.values().forEach(group -> group.keySet().removeIf(tp -> tp.topicId().equals(topicId)));
                offsets.values().removeIf(Map::isEmpty);
            }
        }

        /** The in-memory reference has no transaction coordinator: transactional offsets are never pending. */
        @Override
        public Set<TopicIdPartition> pendingTransactionalOffsets(String groupId) {
            return Set.of();
        }

        @Override
        public void commitPending(String groupId, long producerId, Map<TopicIdPartition, CommittedOffset> offsets) {
            throw new UnsupportedOperationException("the in-memory reference storage has no transactions");
        }
    }
}
