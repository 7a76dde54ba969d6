package dev.pgkafka.application.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.application.port.out.BrokerConfigStorePort;
import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.application.port.out.ClusterStorePort;
import dev.pgkafka.application.port.out.ConsumerGroupStorePort;
import dev.pgkafka.application.port.out.GroupStorePort;
import dev.pgkafka.application.port.out.OffsetStorePort;
import dev.pgkafka.application.port.out.LogCleanerPort;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.ProducerIdPort;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.application.port.out.StorageHealthPort;
import dev.pgkafka.application.port.out.TopicStorePort;
import dev.pgkafka.application.port.out.TransactionStorePort;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/**
 * The storage SPI in memory: the reference implementation that runs the same contract kit as the
 * real adapters, and a fast storage for service tests. Thread-safe; nothing survives the object.
 *
 * <pre>{@code
 * InMemoryStorage storage = new InMemoryStorage();
 * TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
 * }</pre>
 */
public final class InMemoryStorage {
    private final String clusterId = TopicIds.base64(TopicIds.random());
    private final AtomicLong producerIds = new AtomicLong();
    private final Map<String, Topic> topicsByName = new ConcurrentHashMap<>();
    private final Map<UUID, Topic> topicsById = new ConcurrentHashMap<>();
    private final Map<TopicIdPartition, InMemoryPartition> partitions = new ConcurrentHashMap<>();
    private final Object topicCreation = new Object();

    private final TopicStorePort topicStore = new Topics();
    private final InMemoryPartitionLog log = new InMemoryPartitionLog(partitions);
    private final InMemoryGroupStores groupStores = new InMemoryGroupStores(partitions);
    private final LogCleanerPort cleaner = new InMemoryLogCleaner(partitions);
    private final Map<String, Map<String, String>> brokerConfigLayers = new ConcurrentHashMap<>();
    private final BrokerConfigStorePort brokerConfigs = new BrokerConfigStorePort() {
        @Override
        public Map<String, String> load(String layer) {
            return brokerConfigLayers.getOrDefault(layer, Map.of());
        }

        @Override
        public void replace(String layer, Map<String, String> values) {
            brokerConfigLayers.put(layer, Map.copyOf(values));
        }
    };
    private final ScramCredentialStorePort scramCredentials = new InMemoryScramCredentialStore();
    private final AclStorePort acls = new InMemoryAclStore();
    private final ClientQuotaStorePort clientQuotas = new InMemoryClientQuotaStore();
    private final ProducerIdPort producerIdPort = producerIds::getAndIncrement;
    private final ClusterStorePort cluster = () -> clusterId;
    private final StorageHealthPort health = new StorageHealthPort() {
        @Override
        public void ping() {
            // memory always answers
        }

        @Override
        public String describe() {
            return "in-memory storage";
        }
    };

    public TopicStorePort topics() {
        return topicStore;
    }

    public PartitionLogPort log() {
        return log;
    }

    public ProducerIdPort producerIds() {
        return producerIdPort;
    }

    public ClusterStorePort cluster() {
        return cluster;
    }

    public LogCleanerPort cleaner() {
        return cleaner;
    }

    public BrokerConfigStorePort brokerConfigs() {
        return brokerConfigs;
    }

    public AclStorePort acls() {
        return acls;
    }

    public ClientQuotaStorePort clientQuotas() {
        return clientQuotas;
    }

    public StorageHealthPort health() {
        return health;
    }

    public ScramCredentialStorePort scramCredentials() {
        return scramCredentials;
    }

    public GroupStorePort groupStore() {
        return groupStores.groupStore();
    }

    /** Coordinator state; append transactions that write markers store into the same map. */
    public TransactionStorePort transactions() {
        return new TransactionStorePort() {
            @Override
            public List<TransactionMetadata> loadAll() {
                return new ArrayList<>(log.transactions.values());
            }

            @Override
            public void save(TransactionMetadata metadata) {
                log.transactions.put(metadata.transactionalId(), metadata);
            }

            @Override
            public void delete(String transactionalId) {
                log.transactions.remove(transactionalId);
            }
        };
    }

    public OffsetStorePort offsetStore() {
        return groupStores.offsetStore();
    }

    public ConsumerGroupStorePort consumerGroupStore() {
        return groupStores.consumerGroupStore();
    }

    private final class Topics implements TopicStorePort {
        @Override
        public Optional<Topic> create(Topic topic) {
            synchronized (topicCreation) {
                if (topicsByName.containsKey(topic.name()) || topicsById.containsKey(topic.id())) {
                    return Optional.empty();
                }
                // partitions first: a topic that can be found always has them
                for (int p = 0; p < topic.partitionCount(); p++) {
                    partitions.put(topic.partition(p), new InMemoryPartition());
                }
                topicsById.put(topic.id(), topic);
                topicsByName.put(topic.name(), topic);
                return Optional.of(topic);
            }
        }

        @Override
        public Optional<Topic> findByName(String name) {
            return Optional.ofNullable(topicsByName.get(name));
        }

        @Override
        public Optional<Topic> findById(UUID id) {
            return Optional.ofNullable(topicsById.get(id));
        }

        @Override
        public List<Topic> findAll() {
            List<Topic> all = new ArrayList<>(topicsByName.values());
            all.sort(Comparator.comparing(Topic::name));
            return all;
        }

        @Override
        public Optional<Topic> delete(UUID topicId) {
            synchronized (topicCreation) {
                Topic topic = topicsById.remove(topicId);
                if (topic == null) {
                    return Optional.empty();
                }
                topicsByName.remove(topic.name());
                for (int p = 0; p < topic.partitionCount(); p++) {
                    partitions.remove(topic.partition(p));
                }
                return Optional.of(topic);
            }
        }

        @Override
        public Optional<Topic> updateConfigs(UUID topicId, Map<String, String> configs) {
            synchronized (topicCreation) {
                Topic topic = topicsById.get(topicId);
                if (topic == null) {
                    return Optional.empty();
                }
                return Optional.of(replace(new Topic(topic.id(), topic.name(), topic.partitionCount(), configs)));
            }
        }

        @Override
        public Optional<Topic> addPartitions(UUID topicId, int newCount) {
            synchronized (topicCreation) {
                Topic topic = topicsById.get(topicId);
                if (topic == null || newCount <= topic.partitionCount()) {
                    return Optional.ofNullable(topic);
                }
                for (int p = topic.partitionCount(); p < newCount; p++) {
                    partitions.put(topic.partition(p), new InMemoryPartition());
                }
                return Optional.of(replace(new Topic(topic.id(), topic.name(), newCount, topic.configs())));
            }
        }

        private Topic replace(Topic topic) {
            topicsById.put(topic.id(), topic);
            topicsByName.put(topic.name(), topic);
            return topic;
        }
    }
}
