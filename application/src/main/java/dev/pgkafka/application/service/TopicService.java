package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.TopicStorePort;
import dev.pgkafka.domain.config.ConfigChanges;
import dev.pgkafka.domain.config.ConfigProblem;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.LogConfig;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * Topics: lookups (cached, since every produce and fetch resolves its topics), auto-creation and
 * creation, and their configs resolved over the broker's (cached per topic until either changes).
 * Only topics that exist are cached, so a topic created elsewhere is found on first use.
 */
public final class TopicService implements TopicsUseCase {
    private static final System.Logger LOG = System.getLogger(TopicService.class.getName());
    /** Kafka's cap on partitions per create request keeps a typo from creating millions of rows. */
    public static final int MAX_PARTITIONS = 100_000;

    private final TopicStorePort store;
    private final PartitionLogPort log;
    private final BrokerSettings settings;
    private final BrokerConfigService brokerConfigs;
    private final Map<String, Topic> byName = new ConcurrentHashMap<>();
    private final Map<UUID, Topic> byId = new ConcurrentHashMap<>();
    private final Map<UUID, ResolvedConfig> logConfigs = new ConcurrentHashMap<>();

    /** With Kafka's defaults below the topics' own configs (no dynamic broker configs). */
    public TopicService(TopicStorePort store, PartitionLogPort log, BrokerSettings settings) {
        this(store, log, settings, BrokerConfigService.staticOnly(settings.nodeId(), Map.of()));
    }

    public TopicService(TopicStorePort store, PartitionLogPort log, BrokerSettings settings,
                        BrokerConfigService brokerConfigs) {
        this.store = store;
        this.log = log;
        this.settings = settings;
        this.brokerConfigs = brokerConfigs;
        brokerConfigs.onChange(logConfigs::clear);
    }

    private record ResolvedConfig(Topic topic, LogConfig config) {
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
    public boolean autoCreatesTopics() {
        return settings.autoCreateTopics();
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
        Optional<ConfigProblem> configProblem = ConfigChanges.topicProblem(command.configs(), brokerConfigs.layers());
        if (configProblem.isPresent()) {
            return CreateTopicOutcome.failed(configProblem.get().error(), configProblem.get().message());
        }
        for (Topic existing : store.findAll()) {
            if (TopicNames.collide(command.name(), existing.name())) {
                return CreateTopicOutcome.failed(ErrorCode.INVALID_TOPIC_EXCEPTION,
                        "Topic '" + command.name() + "' collides with existing topic: " + existing.name());
            }
        }
        Map<String, String> configs = new HashMap<>();
        command.configs().forEach((k, v) -> configs.put(k, v.trim()));
        Topic topic = new Topic(TopicIds.random(), command.name(), partitions, configs);
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

    @Override
    public LogConfig logConfig(Topic topic) {
        ResolvedConfig cached = logConfigs.get(topic.id());
        if (cached != null && cached.topic() == topic) {
            return cached.config();
        }
        LogConfig config = LogConfig.of(topic.configs(), brokerConfigs.layers());
        logConfigs.put(topic.id(), new ResolvedConfig(topic, config));
        return config;
    }

    /** The broker configs topic configs resolve over. */
    public BrokerConfigService brokerConfigs() {
        return brokerConfigs;
    }

    /**
     * Replaces a topic's config overrides (already validated).
     *
     * @return the topic with its new configs, or empty when it no longer exists
     */
    public Optional<Topic> updateConfigs(Topic topic, Map<String, String> configs) {
        Optional<Topic> updated = store.updateConfigs(topic.id(), configs);
        forget(topic);
        updated.ifPresent(this::remember);
        return updated;
    }

    /** Takes note of a topic's new state (e.g. more partitions), replacing what was cached of it. */
    public void updated(Topic before, Topic after) {
        forget(before);
        remember(after);
    }

    /** Drops a topic from the cache, e.g. after it was deleted or changed. */
    public void forget(Topic topic) {
        byName.remove(topic.name(), topic);
        byId.remove(topic.id(), topic);
        logConfigs.remove(topic.id());
    }

    private Topic remember(Topic topic) {
        byName.put(topic.name(), topic);
        byId.put(topic.id(), topic);
        return topic;
    }
}
