package dev.pgkafka.domain.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broker's config values in layers, most specific first: set dynamically for this broker, set
 * dynamically as the cluster default, set by the broker's options at start; Kafka's defaults
 * below them. Resolves topic configs (a topic's override, then its broker synonyms layer by layer,
 * then the default) and broker configs, as Kafka's DescribeConfigs shows them. Immutable.
 */
public record ConfigLayers(Map<String, String> perBroker, Map<String, String> clusterDefault,
                           Map<String, String> statics) {

    public static final ConfigLayers NONE = new ConfigLayers(Map.of(), Map.of(), Map.of());

    public ConfigLayers {
        perBroker = Map.copyOf(perBroker);
        clusterDefault = Map.copyOf(clusterDefault);
        statics = Map.copyOf(statics);
    }

    public static ConfigLayers ofStatic(Map<String, String> statics) {
        return new ConfigLayers(Map.of(), Map.of(), statics);
    }

    public ConfigLayers withPerBroker(Map<String, String> values) {
        return new ConfigLayers(values, clusterDefault, statics);
    }

    public ConfigLayers withClusterDefault(Map<String, String> values) {
        return new ConfigLayers(perBroker, values, statics);
    }

    // ---- topic configs ----

    /** The effective value of a topic config given the topic's overrides. */
    public String topicValue(ConfigDef def, Map<String, String> overrides) {
        String override = overrides.get(def.name());
        if (override != null) {
            return override;
        }
        for (Layer layer : Layer.values()) {
            for (Synonym s : def.synonyms()) {
                String v = layer.values(this).get(s.name());
                if (v != null) {
                    return s.convert(v);
                }
            }
        }
        for (Synonym s : def.synonyms()) {
            String v = brokerDefault(s.name());
            if (v != null) {
                return s.convert(v);
            }
        }
        return def.defaultValue();
    }

    /** Every topic config's effective value given the topic's overrides, by name. */
    public Map<String, String> topicValues(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        for (ConfigDef def : TopicConfigs.all()) {
            values.put(def.name(), topicValue(def, overrides));
        }
        return values;
    }

    /** A topic config as DescribeConfigs shows it. */
    public ConfigEntry topicEntry(ConfigDef def, Map<String, String> overrides, boolean withSynonyms, boolean withDocs) {
        List<ConfigSynonym> all = new ArrayList<>();
        String override = overrides.get(def.name());
        if (override != null) {
            all.add(new ConfigSynonym(def.name(), override, ConfigSource.TOPIC_CONFIG));
        }
        for (Layer layer : Layer.values()) {
            for (Synonym s : def.synonyms()) {
                String v = layer.values(this).get(s.name());
                if (v != null) {
                    all.add(new ConfigSynonym(s.name(), v, layer.source));
                }
            }
        }
        for (Synonym s : def.synonyms()) {
            String v = brokerDefault(s.name());
            if (v != null) {
                all.add(new ConfigSynonym(s.name(), v, ConfigSource.DEFAULT_CONFIG));
                break;
            }
        }
        ConfigSource source = all.isEmpty() ? ConfigSource.DEFAULT_CONFIG : all.getFirst().source();
        return new ConfigEntry(def.name(), topicValue(def, overrides), source, false, false, def.type(),
                withDocs ? def.documentation() : null, withSynonyms ? all : List.of());
    }

    // ---- broker configs ----

    /** A broker config as DescribeConfigs shows it for this broker. */
    public ConfigEntry brokerEntry(ConfigDef def, boolean withSynonyms, boolean withDocs) {
        List<ConfigSynonym> all = new ArrayList<>();
        for (Layer layer : Layer.values()) {
            String v = layer.values(this).get(def.name());
            if (v != null) {
                all.add(new ConfigSynonym(def.name(), v, layer.source));
            }
        }
        if (def.defaultValue() != null) {
            all.add(new ConfigSynonym(def.name(), def.defaultValue(), ConfigSource.DEFAULT_CONFIG));
        }
        boolean sensitive = def.type() == ConfigType.PASSWORD;
        if (sensitive) {
            // Kafka never shows a password: the value and every synonym's value are null
            all.replaceAll(s -> new ConfigSynonym(s.name(), null, s.source()));
        }
        String value = all.isEmpty() ? null : all.getFirst().value();
        ConfigSource source = all.isEmpty() ? ConfigSource.DEFAULT_CONFIG : all.getFirst().source();
        return new ConfigEntry(def.name(), value, source, def.readOnly(), sensitive, def.type(),
                withDocs ? def.documentation() : null, withSynonyms ? all : List.of());
    }

    /** The effective value of a broker config (null when neither set nor defaulted). */
    public Optional<String> brokerValue(String name) {
        for (Layer layer : Layer.values()) {
            String v = layer.values(this).get(name);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.ofNullable(brokerDefault(name));
    }

    private static String brokerDefault(String name) {
        return BrokerConfigs.find(name).map(ConfigDef::defaultValue).orElse(null);
    }

    private enum Layer {
        PER_BROKER(ConfigSource.DYNAMIC_BROKER_CONFIG),
        CLUSTER_DEFAULT(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
        STATIC(ConfigSource.STATIC_BROKER_CONFIG);

        final ConfigSource source;

        Layer(ConfigSource source) {
            this.source = source;
        }

        Map<String, String> values(ConfigLayers layers) {
            return switch (this) {
                case PER_BROKER -> layers.perBroker;
                case CLUSTER_DEFAULT -> layers.clusterDefault;
                case STATIC -> layers.statics;
            };
        }
    }
}
