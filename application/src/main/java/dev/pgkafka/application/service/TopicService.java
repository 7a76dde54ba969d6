package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.TopicStorePort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * Topics: lookups (cached, since every produce and fetch resolves its topics), auto-creation and
 * creation. Only topics that exist are cached, so a topic created elsewhere is found on first use.
 */
public final class TopicService implements TopicsUseCase {
    private static final System.Logger LOG = System.getLogger(TopicService.class.getName());
    /** Kafka's cap on partitions per create request keeps a typo from creating millions of rows. */
    public static final int MAX_PARTITIONS = 100_000;

    private final TopicStorePort store;
    private final PartitionLogPort log;
    private final BrokerSettings settings;
    private final Map<String, Topic> byName = new ConcurrentHashMap<>();
    private final Map<UUID, Topic> byId = new ConcurrentHashMap<>();

    public TopicService(TopicStorePort store, PartitionLogPort log, BrokerSettings settings) {
        this.store = store;
        this.log = log;
        this.settings = settings;
    }

    @Override
    public Optional<Topic> find(String name) {
        Topic cached = byName.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        return store.findByName(name).map(this::remember);
    }

    @Override
    public Optional<Topic> find(UUID topicId) {
        Topic cached = byId.get(topicId);
        if (cached != null) {
            return Optional.of(cached);
        }
        return store.findById(topicId).map(this::remember);
    }

    @Override
    public List<Topic> list() {
        List<Topic> topics = new ArrayList<>(store.findAll());
        topics.forEach(this::remember);
        topics.sort(Comparator.comparing(Topic::name));
        return topics;
    }

    @Override
    public Optional<Topic> findOrAutoCreate(String name, boolean clientAllowsAutoCreate) {
        Optional<Topic> existing = find(name);
        if (existing.isPresent() || !clientAllowsAutoCreate || !settings.autoCreateTopics() || !TopicNames.isValid(name)) {
            return existing;
        }
        CreateTopicOutcome outcome = create(new CreateTopicCommand(name, -1, Map.of(), false));
        if (outcome.isSuccess()) {
            LOG.log(Level.INFO, "auto-created topic {0} with {1} partition(s)", name, outcome.topic().partitionCount());
            return Optional.of(outcome.topic());
        }
        // lost a race with another creator: the topic exists now
        return find(name);
    }

    @Override
    public CreateTopicOutcome create(CreateTopicCommand command) {
        Optional<String> nameProblem = TopicNames.problem(command.name());
        if (nameProblem.isPresent()) {
            return CreateTopicOutcome.failed(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem.get());
        }
        int partitions = command.partitions() == -1 ? settings.defaultPartitions() : command.partitions();
        if (partitions < 1) {
            return CreateTopicOutcome.failed(ErrorCode.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        if (partitions > MAX_PARTITIONS) {
            return CreateTopicOutcome.failed(ErrorCode.INVALID_PARTITIONS,
                    "Number of partitions must be at most " + MAX_PARTITIONS + ".");
        }
        if (find(command.name()).isPresent()) {
            return CreateTopicOutcome.failed(ErrorCode.TOPIC_ALREADY_EXISTS,
                    "Topic '" + command.name() + "' already exists.");
        }
        Topic topic = new Topic(TopicIds.random(), command.name(), partitions, command.configs());
        if (command.validateOnly()) {
            return CreateTopicOutcome.created(topic);
        }
        return store.create(topic)
                .map(created -> CreateTopicOutcome.created(remember(created)))
                .orElseGet(() -> CreateTopicOutcome.failed(ErrorCode.TOPIC_ALREADY_EXISTS,
                        "Topic '" + command.name() + "' already exists."));
    }

    @Override
    public List<TopicDescription> describeAll() {
        List<Topic> topics = list();
        List<TopicIdPartition> partitions = new ArrayList<>();
        for (Topic t : topics) {
            for (int p = 0; p < t.partitionCount(); p++) {
                partitions.add(t.partition(p));
            }
        }
        Map<TopicIdPartition, PartitionHead> heads = log.heads(partitions);
        List<TopicDescription> result = new ArrayList<>(topics.size());
        for (Topic t : topics) {
            List<PartitionHead> ph = new ArrayList<>(t.partitionCount());
            for (int p = 0; p < t.partitionCount(); p++) {
                ph.add(heads.getOrDefault(t.partition(p), PartitionHead.empty()));
            }
            result.add(new TopicDescription(t, ph));
        }
        return result;
    }

    /** Drops a topic from the cache, e.g. after it was deleted or changed. */
    public void forget(Topic topic) {
        byName.remove(topic.name(), topic);
        byId.remove(topic.id(), topic);
    }

    private Topic remember(Topic topic) {
        byName.put(topic.name(), topic);
        byId.put(topic.id(), topic);
        return topic;
    }
}
