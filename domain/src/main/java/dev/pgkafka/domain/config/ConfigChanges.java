package dev.pgkafka.domain.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * Kafka's rules for changing configs: validating a topic's overrides, applying incremental
 * operations, and which broker configs may change while the broker runs. Pure functions.
 */
public final class ConfigChanges {
    private ConfigChanges() {
    }

    /** The outcome of applying changes: the new values, or the problem. */
    public record Outcome(Map<String, String> values, ConfigProblem problem) {
        static Outcome ok(Map<String, String> values) {
            return new Outcome(Map.copyOf(values), null);
        }

        static Outcome failed(ConfigProblem problem) {
            return new Outcome(null, problem);
        }

        public boolean isOk() {
            return problem == null;
        }
    }

    /**
     * Whether a topic may have these overrides: known names, valid values, no tiered storage, and
     * {@code min.compaction.lag.ms <= max.compaction.lag.ms} after resolution (INVALID_CONFIG).
     */
    public static Optional<ConfigProblem> topicProblem(Map<String, String> overrides, ConfigLayers layers) {
        for (String name : new TreeSet<>(overrides.keySet())) {
            Optional<ConfigDef> def = TopicConfigs.find(name);
            if (def.isEmpty()) {
                return Optional.of(ConfigProblem.invalidConfig("Unknown topic config name: " + name));
            }
            Optional<String> problem = def.get().problem(overrides.get(name));
            if (problem.isPresent()) {
                return Optional.of(ConfigProblem.invalidConfig(problem.get()));
            }
        }
        if (Boolean.TRUE.equals(TopicConfigs.get(TopicConfigs.REMOTE_STORAGE_ENABLE)
                .parse(layers.topicValue(TopicConfigs.get(TopicConfigs.REMOTE_STORAGE_ENABLE), overrides)))) {
            return Optional.of(ConfigProblem.invalidConfig("Tiered Storage functionality is disabled in the broker. "
                    + "Topic cannot be configured with remote log storage."));
        }
        long minLag = (Long) TopicConfigs.get(TopicConfigs.MIN_COMPACTION_LAG_MS)
                .parse(layers.topicValue(TopicConfigs.get(TopicConfigs.MIN_COMPACTION_LAG_MS), overrides));
        long maxLag = (Long) TopicConfigs.get(TopicConfigs.MAX_COMPACTION_LAG_MS)
                .parse(layers.topicValue(TopicConfigs.get(TopicConfigs.MAX_COMPACTION_LAG_MS), overrides));
        if (minLag > maxLag) {
            return Optional.of(ConfigProblem.invalidConfig("conflict topic config setting "
                    + TopicConfigs.MIN_COMPACTION_LAG_MS + " (" + minLag + ") > " + TopicConfigs.MAX_COMPACTION_LAG_MS
                    + " (" + maxLag + ")"));
        }
        return Optional.empty();
    }

    /**
     * Applies IncrementalAlterConfigs operations to a topic's overrides, then checks the result
     * with {@link #topicProblem}. DELETE of an unknown name is ignored, as in Kafka.
     */
    public static Outcome alterTopic(Map<String, String> overrides, List<AlterOp> ops, ConfigLayers layers) {
        Optional<ConfigProblem> duplicate = duplicateKeys(ops);
        if (duplicate.isPresent()) {
            return Outcome.failed(duplicate.get());
        }
        Map<String, String> result = new LinkedHashMap<>(overrides);
        for (AlterOp op : ops) {
            Optional<ConfigDef> def = TopicConfigs.find(op.name());
            if (def.isEmpty()) {
                if (op.kind() == AlterOp.Kind.DELETE) {
                    continue;
                }
                return Outcome.failed(ConfigProblem.invalidConfig("Unknown topic config name: " + op.name()));
            }
            Optional<ConfigProblem> problem = apply(result, op, def.get(),
                    d -> layers.topicValue(d, result));
            if (problem.isPresent()) {
                return Outcome.failed(problem.get());
            }
        }
        Optional<ConfigProblem> problem = topicProblem(result, layers);
        return problem.map(Outcome::failed).orElseGet(() -> Outcome.ok(result));
    }

    /**
     * Applies IncrementalAlterConfigs operations to one layer of dynamic broker configs: only known,
     * non-read-only configs may change (INVALID_REQUEST otherwise, with Kafka's messages).
     */
    public static Outcome alterBroker(Map<String, String> current, List<AlterOp> ops, ConfigLayers layers) {
        Optional<ConfigProblem> duplicate = duplicateKeys(ops);
        if (duplicate.isPresent()) {
            return Outcome.failed(duplicate.get());
        }
        Set<String> notDynamic = new TreeSet<>();
        for (AlterOp op : ops) {
            Optional<ConfigDef> def = BrokerConfigs.find(op.name());
            if (def.isPresent() && def.get().readOnly() && op.kind() != AlterOp.Kind.DELETE) {
                notDynamic.add(op.name());
            }
        }
        if (!notDynamic.isEmpty()) {
            return Outcome.failed(ConfigProblem.invalidRequest("Cannot update these configs dynamically: " + notDynamic));
        }
        Map<String, String> result = new LinkedHashMap<>(current);
        for (AlterOp op : ops) {
            Optional<ConfigDef> def = BrokerConfigs.find(op.name());
            if (def.isEmpty()) {
                if (op.kind() == AlterOp.Kind.DELETE) {
                    continue;
                }
                return Outcome.failed(ConfigProblem.invalidRequest("Unknown broker config name: " + op.name()));
            }
            Optional<ConfigProblem> problem = apply(result, op, def.get(),
                    d -> result.getOrDefault(d.name(), layers.brokerValue(d.name()).orElse("")));
            if (problem.isPresent()) {
                return Outcome.failed(problem.get().error() == ErrorCode.INVALID_CONFIG
                        && op.kind() == AlterOp.Kind.SET
                        ? ConfigProblem.invalidRequest(problem.get().message()) : problem.get());
            }
        }
        return Outcome.ok(result);
    }

    /** Replacing a whole layer (the legacy AlterConfigs): the same rules, as SETs of every value. */
    public static Outcome replaceBroker(Map<String, String> values, ConfigLayers layers) {
        List<AlterOp> ops = new ArrayList<>();
        values.forEach((k, v) -> ops.add(new AlterOp(k, AlterOp.Kind.SET, v)));
        return alterBroker(Map.of(), ops, layers);
    }

    private static Optional<ConfigProblem> duplicateKeys(List<AlterOp> ops) {
        Set<String> seen = new HashSet<>();
        for (AlterOp op : ops) {
            if (!seen.add(op.name())) {
                return Optional.of(ConfigProblem.invalidRequest("Error due to duplicate config keys"));
            }
        }
        return Optional.empty();
    }

    private static Optional<ConfigProblem> apply(Map<String, String> values, AlterOp op, ConfigDef def,
                                                 Function<ConfigDef, String> currentValue) {
        switch (op.kind()) {
            case SET -> {
                if (op.value() == null) {
                    return Optional.of(ConfigProblem.invalidRequest("Null value not supported for : " + op.name()));
                }
                Optional<String> problem = def.problem(op.value());
                if (problem.isPresent()) {
                    return Optional.of(ConfigProblem.invalidConfig(problem.get()));
                }
                values.put(op.name(), op.value().trim());
            }
            case DELETE -> values.remove(op.name());
            case APPEND, SUBTRACT -> {
                if (def.type() != ConfigType.LIST) {
                    return Optional.of(ConfigProblem.invalidConfig("Can't " + op.kind() + " to key " + op.name()
                            + " because its type is not LIST."));
                }
                String current = currentValue.apply(def);
                Set<String> items = new LinkedHashSet<>(ConfigType.splitList(current == null ? "" : current));
                List<String> given = ConfigType.splitList(op.value() == null ? "" : op.value());
                if (op.kind() == AlterOp.Kind.APPEND) {
                    items.addAll(given);
                } else {
                    given.forEach(items::remove);
                }
                String joined = String.join(",", items);
                Optional<String> problem = def.problem(joined);
                if (problem.isPresent()) {
                    return Optional.of(ConfigProblem.invalidConfig(problem.get()));
                }
                values.put(op.name(), joined);
            }
        }
        return Optional.empty();
    }
}
