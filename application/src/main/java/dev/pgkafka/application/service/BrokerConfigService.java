package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.pgkafka.application.port.out.BrokerConfigStorePort;
import dev.pgkafka.domain.config.AlterOp;
import dev.pgkafka.domain.config.BrokerConfigs;
import dev.pgkafka.domain.config.ConfigChanges;
import dev.pgkafka.domain.config.ConfigDef;
import dev.pgkafka.domain.config.ConfigEntry;
import dev.pgkafka.domain.config.ConfigLayers;
import dev.pgkafka.domain.config.ConfigProblem;
import dev.pgkafka.domain.config.ConfigSource;
import dev.pgkafka.domain.config.ConfigSynonym;

/**
 * The broker's configs: the static ones its options set at start and the dynamic ones kept in
 * storage (for this broker, and cluster-wide defaults), which change while the broker runs. Topic
 * configs resolve over {@link #layers()}; listeners hear about every change.
 */
public final class BrokerConfigService {
    private static final System.Logger LOG = System.getLogger(BrokerConfigService.class.getName());

    private final BrokerConfigStorePort store;
    private final int nodeId;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile ConfigLayers layers;

    /**
     * @param store   where dynamic configs live, or null for none (static configs only)
     * @param statics the broker's own options under Kafka's names ({@code num.partitions}, ...)
     */
    public BrokerConfigService(BrokerConfigStorePort store, int nodeId, Map<String, String> statics) {
        this.store = store;
        this.nodeId = nodeId;
        ConfigLayers initial = ConfigLayers.ofStatic(statics);
        if (store != null) {
            initial = initial.withClusterDefault(store.load(BrokerConfigStorePort.CLUSTER_DEFAULT))
                    .withPerBroker(store.load(nodeLayer()));
        }
        this.layers = initial;
    }

    /** Static configs only; nothing can change. */
    public static BrokerConfigService staticOnly(int nodeId, Map<String, String> statics) {
        return new BrokerConfigService(null, nodeId, statics);
    }

    public ConfigLayers layers() {
        return layers;
    }

    /** Runs {@code listener} after each change of the dynamic configs. */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Which layer a BROKER resource name means: this broker's id, or "" for the cluster default. */
    private Optional<String> layerOf(String resourceName) {
        if (resourceName.isEmpty()) {
            return Optional.of(BrokerConfigStorePort.CLUSTER_DEFAULT);
        }
        return resourceName.equals(nodeLayer()) ? Optional.of(nodeLayer()) : Optional.empty();
    }

    private String nodeLayer() {
        return Integer.toString(nodeId);
    }

    private ConfigProblem unexpectedBroker(String resourceName) {
        return ConfigProblem.invalidRequest("Unexpected broker id, expected " + nodeId + " or empty string, but received "
                + resourceName);
    }

    /**
     * The configs of a BROKER resource: for this broker every config with its effective value; for
     * the cluster default ("") only those set there, as Kafka answers.
     */
    public DescribeOutcome describe(String resourceName, List<String> keys, boolean synonyms, boolean docs) {
        Optional<String> layer = layerOf(resourceName);
        if (layer.isEmpty()) {
            return new DescribeOutcome(List.of(), unexpectedBroker(resourceName));
        }
        ConfigLayers current = layers;
        List<ConfigEntry> entries = new ArrayList<>();
        if (layer.get().equals(BrokerConfigStorePort.CLUSTER_DEFAULT)) {
            current.clusterDefault().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                if (keys == null || keys.contains(e.getKey())) {
                    ConfigDef def = BrokerConfigs.find(e.getKey()).orElseThrow();
                    entries.add(new ConfigEntry(e.getKey(), e.getValue(), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG,
                            false, false, def.type(), docs ? def.documentation() : null,
                            synonyms ? List.of(new ConfigSynonym(e.getKey(), e.getValue(),
                                    ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)) : List.of()));
                }
            });
        } else {
            for (ConfigDef def : BrokerConfigs.all()) {
                if (keys == null || keys.contains(def.name())) {
                    entries.add(current.brokerEntry(def, synonyms, docs));
                }
            }
        }
        return new DescribeOutcome(entries, null);
    }

    public record DescribeOutcome(List<ConfigEntry> entries, ConfigProblem problem) {
    }

    /** IncrementalAlterConfigs on a BROKER resource. */
    public synchronized Optional<ConfigProblem> alter(String resourceName, List<AlterOp> ops, boolean validateOnly) {
        Optional<String> layer = layerOf(resourceName);
        if (layer.isEmpty()) {
            return Optional.of(unexpectedBroker(resourceName));
        }
        ConfigChanges.Outcome outcome = ConfigChanges.alterBroker(values(layer.get()), ops, layers);
        return save(layer.get(), outcome, validateOnly);
    }

    /** The legacy AlterConfigs on a BROKER resource: the layer becomes exactly {@code values}. */
    public synchronized Optional<ConfigProblem> replace(String resourceName, Map<String, String> values,
                                                        boolean validateOnly) {
        Optional<String> layer = layerOf(resourceName);
        if (layer.isEmpty()) {
            return Optional.of(unexpectedBroker(resourceName));
        }
        return save(layer.get(), ConfigChanges.replaceBroker(values, layers), validateOnly);
    }

    private Map<String, String> values(String layer) {
        return layer.equals(BrokerConfigStorePort.CLUSTER_DEFAULT) ? layers.clusterDefault() : layers.perBroker();
    }

    private Optional<ConfigProblem> save(String layer, ConfigChanges.Outcome outcome, boolean validateOnly) {
        if (!outcome.isOk()) {
            return Optional.of(outcome.problem());
        }
        if (validateOnly) {
            return Optional.empty();
        }
        if (store == null) {
            return Optional.of(ConfigProblem.invalidRequest("This broker keeps no dynamic configs"));
        }
        Map<String, String> values = new HashMap<>(outcome.values());
        store.replace(layer, values);
        layers = layer.equals(BrokerConfigStorePort.CLUSTER_DEFAULT)
                ? layers.withClusterDefault(values) : layers.withPerBroker(values);
        LOG.log(Level.INFO, "dynamic broker configs of {0} are now {1}",
                layer.isEmpty() ? "the cluster default" : "broker " + layer, new TreeMap<>(values));
        listeners.forEach(Runnable::run);
        return Optional.empty();
    }
}
