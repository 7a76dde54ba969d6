package dev.pgkafka.application.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.domain.config.ConfigChanges;
import dev.pgkafka.domain.config.ConfigDef;
import dev.pgkafka.domain.config.ConfigEntry;
import dev.pgkafka.domain.config.ConfigLayers;
import dev.pgkafka.domain.config.ConfigProblem;
import dev.pgkafka.domain.config.ConfigResource;
import dev.pgkafka.domain.config.TopicConfigs;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * Configs of topics (their overrides, stored with the topic) and of the broker (see
 * {@link BrokerConfigService}): described with their sources and synonyms, changed with Kafka's
 * validation. Changes to a topic take effect for the next append, fetch and cleaner run.
 */
public final class ConfigService implements ConfigsUseCase {
    private final TopicService topics;
    private final BrokerConfigService broker;

    public ConfigService(TopicService topics) {
        this.topics = topics;
        this.broker = topics.brokerConfigs();
    }

    @Override
    public List<DescribeResult> describe(List<DescribeRequest> resources, boolean includeSynonyms,
                                         boolean includeDocumentation) {
        List<DescribeResult> results = new ArrayList<>(resources.size());
        for (DescribeRequest request : resources) {
            results.add(describe(request, includeSynonyms, includeDocumentation));
        }
        return results;
    }

    private DescribeResult describe(DescribeRequest request, boolean synonyms, boolean docs) {
        ConfigResource resource = request.resource();
        switch (resource.type()) {
            case TOPIC -> {
                Lookup lookup = topic(resource.name());
                if (lookup.problem != null) {
                    return DescribeResult.failed(resource, lookup.problem.error(), lookup.problem.message());
                }
                ConfigLayers layers = broker.layers();
                List<ConfigEntry> entries = new ArrayList<>();
                for (ConfigDef def : TopicConfigs.all()) {
                    if (request.keys() == null || request.keys().contains(def.name())) {
                        entries.add(layers.topicEntry(def, lookup.topic.configs(), synonyms, docs));
                    }
                }
                return new DescribeResult(resource, ErrorCode.NONE, null, entries);
            }
            case BROKER -> {
                BrokerConfigService.DescribeOutcome outcome = broker.describe(resource.name(), request.keys(), synonyms,
                        docs);
                if (outcome.problem() != null) {
                    return DescribeResult.failed(resource, outcome.problem().error(), outcome.problem().message());
                }
                return new DescribeResult(resource, ErrorCode.NONE, null, outcome.entries());
            }
            default -> {
                return DescribeResult.failed(resource, ErrorCode.INVALID_REQUEST, unsupported(resource));
            }
        }
    }

    @Override
    public List<AlterResult> incrementalAlter(List<IncrementalAlter> changes, boolean validateOnly) {
        List<AlterResult> results = new ArrayList<>(changes.size());
        for (IncrementalAlter change : changes) {
            ConfigResource resource = change.resource();
            Optional<ConfigProblem> problem = switch (resource.type()) {
                case TOPIC -> {
                    Lookup lookup = topic(resource.name());
                    if (lookup.problem != null) {
                        yield Optional.of(lookup.problem);
                    }
                    ConfigChanges.Outcome outcome = ConfigChanges.alterTopic(lookup.topic.configs(), change.ops(),
                            broker.layers());
                    yield outcome.isOk() ? saveTopic(lookup.topic, outcome.values(), validateOnly)
                            : Optional.of(outcome.problem());
                }
                case BROKER -> broker.alter(resource.name(), change.ops(), validateOnly);
                default -> Optional.of(ConfigProblem.invalidRequest(unsupported(resource)));
            };
            results.add(result(resource, problem));
        }
        return results;
    }

    @Override
    public List<AlterResult> replace(List<Replace> replacements, boolean validateOnly) {
        List<AlterResult> results = new ArrayList<>(replacements.size());
        for (Replace replace : replacements) {
            ConfigResource resource = replace.resource();
            Map<String, String> values = new HashMap<>();
            replace.values().forEach((k, v) -> {
                if (v != null) {
                    values.put(k, v.trim());
                }
            });
            Optional<ConfigProblem> problem = switch (resource.type()) {
                case TOPIC -> {
                    Lookup lookup = topic(resource.name());
                    if (lookup.problem != null) {
                        yield Optional.of(lookup.problem);
                    }
                    Optional<ConfigProblem> invalid = ConfigChanges.topicProblem(values, broker.layers());
                    yield invalid.isPresent() ? invalid : saveTopic(lookup.topic, values, validateOnly);
                }
                case BROKER -> broker.replace(resource.name(), values, validateOnly);
                default -> Optional.of(ConfigProblem.invalidRequest(unsupported(resource)));
            };
            results.add(result(resource, problem));
        }
        return results;
    }

    @Override
    public List<ConfigEntry> topicConfigs(Topic topic) {
        ConfigLayers layers = broker.layers();
        List<ConfigEntry> entries = new ArrayList<>();
        for (ConfigDef def : TopicConfigs.all()) {
            entries.add(layers.topicEntry(def, topic.configs(), false, false));
        }
        return entries;
    }

    private Optional<ConfigProblem> saveTopic(Topic topic, Map<String, String> configs, boolean validateOnly) {
        if (validateOnly) {
            return Optional.empty();
        }
        if (topics.updateConfigs(topic, configs).isEmpty()) {
            return Optional.of(unknownTopic(topic.name()));
        }
        return Optional.empty();
    }

    private record Lookup(Topic topic, ConfigProblem problem) {
    }

    private Lookup topic(String name) {
        Optional<String> nameProblem = TopicNames.problem(name);
        if (nameProblem.isPresent()) {
            return new Lookup(null, new ConfigProblem(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem.get()));
        }
        return topics.find(name).map(t -> new Lookup(t, null)).orElseGet(() -> new Lookup(null, unknownTopic(name)));
    }

    private static ConfigProblem unknownTopic(String name) {
        return new ConfigProblem(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
    }

    private static String unsupported(ConfigResource resource) {
        return "pgkafka keeps no configs for this resource type (only topics and brokers): " + resource.name();
    }

    private static AlterResult result(ConfigResource resource, Optional<ConfigProblem> problem) {
        return problem.map(p -> new AlterResult(resource, p.error(), p.message())).orElseGet(() -> AlterResult.ok(resource));
    }
}
