package dev.pgkafka.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Resolution of topic and broker configs over the layers, with the sources and synonyms Kafka shows. */
class ConfigLayersTest {

    @Test
    void theCatalogueHasKafkasThirtyThreeTopicConfigsWithTheirDefaults() {
        assertEquals(33, TopicConfigs.all().size());
        Map<String, String> defaults = ConfigLayers.NONE.topicValues(Map.of());
        assertEquals("604800000", defaults.get("retention.ms"));
        assertEquals("-1", defaults.get("retention.bytes"));
        assertEquals("delete", defaults.get("cleanup.policy"));
        assertEquals("86400000", defaults.get("delete.retention.ms"));
        assertEquals("0", defaults.get("min.compaction.lag.ms"));
        assertEquals("1048588", defaults.get("max.message.bytes"));
        assertEquals("CreateTime", defaults.get("message.timestamp.type"));
        assertEquals("producer", defaults.get("compression.type"));
        assertEquals("1073741824", defaults.get("segment.bytes"));
        assertEquals("604800000", defaults.get("segment.ms"));
        assertEquals(Long.toString(Long.MAX_VALUE), defaults.get("flush.messages"));
        for (ConfigDef def : TopicConfigs.all()) {
            assertTrue(def.problem(def.defaultValue()).isEmpty(), "the default of " + def.name() + " is valid");
            assertFalse(def.readOnly(), def.name());
        }
    }

    @Test
    void aTopicOverrideWinsOverEveryBrokerLayer() {
        ConfigLayers layers = new ConfigLayers(Map.of("log.retention.ms", "3"), Map.of("log.retention.ms", "2"),
                Map.of("log.retention.hours", "1"));
        ConfigDef retention = TopicConfigs.get("retention.ms");

        ConfigEntry entry = layers.topicEntry(retention, Map.of("retention.ms", "4"), true, false);

        assertEquals("4", entry.value());
        assertEquals(ConfigSource.TOPIC_CONFIG, entry.source());
        assertEquals(List.of(
                new ConfigSynonym("retention.ms", "4", ConfigSource.TOPIC_CONFIG),
                new ConfigSynonym("log.retention.ms", "3", ConfigSource.DYNAMIC_BROKER_CONFIG),
                new ConfigSynonym("log.retention.ms", "2", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                new ConfigSynonym("log.retention.hours", "1", ConfigSource.STATIC_BROKER_CONFIG),
                new ConfigSynonym("log.retention.hours", "168", ConfigSource.DEFAULT_CONFIG)), entry.synonyms());
    }

    @Test
    void brokerLayersApplyInOrderWithUnitConversion() {
        ConfigDef retention = TopicConfigs.get("retention.ms");
        ConfigLayers statics = ConfigLayers.ofStatic(Map.of("log.retention.hours", "2"));
        assertEquals("7200000", statics.topicValue(retention, Map.of()));
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, statics.topicEntry(retention, Map.of(), false, false).source());

        ConfigLayers dynamic = statics.withClusterDefault(Map.of("log.retention.ms", "5000"));
        assertEquals("5000", dynamic.topicValue(retention, Map.of()));
        ConfigEntry entry = dynamic.topicEntry(retention, Map.of(), false, false);
        assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, entry.source());
        assertEquals(List.of(), entry.synonyms(), "synonyms only when asked");

        assertEquals("9", dynamic.withPerBroker(Map.of("log.retention.ms", "9")).topicValue(retention, Map.of()));
        assertEquals("604800000", ConfigLayers.NONE.topicValue(retention, Map.of()));
        assertEquals(ConfigSource.DEFAULT_CONFIG, ConfigLayers.NONE.topicEntry(retention, Map.of(), false, false).source());
    }

    @Test
    void topicConfigsWithoutASynonymShowNoSynonymsAtTheirDefault() {
        ConfigEntry entry = ConfigLayers.NONE.topicEntry(TopicConfigs.get("remote.storage.enable"), Map.of(), true, true);
        assertEquals("false", entry.value());
        assertEquals(List.of(), entry.synonyms());
        assertEquals(ConfigType.BOOLEAN, entry.type());
        assertTrue(entry.documentation().contains("not supported"));
    }

    @Test
    void brokerConfigsShowTheirLayersAndWhetherTheyCanChange() {
        ConfigLayers layers = new ConfigLayers(Map.of(), Map.of("message.max.bytes", "2000"),
                Map.of("num.partitions", "3", "node.id", "1"));

        ConfigEntry max = layers.brokerEntry(BrokerConfigs.find("message.max.bytes").orElseThrow(), true, false);
        assertEquals("2000", max.value());
        assertEquals(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, max.source());
        assertFalse(max.readOnly());
        assertEquals(List.of(new ConfigSynonym("message.max.bytes", "2000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG),
                new ConfigSynonym("message.max.bytes", "1048588", ConfigSource.DEFAULT_CONFIG)), max.synonyms());

        ConfigEntry partitions = layers.brokerEntry(BrokerConfigs.find("num.partitions").orElseThrow(), false, false);
        assertEquals("3", partitions.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, partitions.source());
        assertTrue(partitions.readOnly());

        ConfigEntry retentionMs = layers.brokerEntry(BrokerConfigs.find("log.retention.ms").orElseThrow(), true, false);
        assertNull(retentionMs.value(), "log.retention.ms has no default: log.retention.hours provides it");
        assertEquals(ConfigSource.DEFAULT_CONFIG, retentionMs.source());
        assertEquals(List.of(), retentionMs.synonyms());
    }

    @Test
    void everyTopicConfigSynonymIsABrokerConfigOfTheSameType() {
        for (ConfigDef topic : TopicConfigs.all()) {
            for (Synonym s : topic.synonyms()) {
                ConfigDef broker = BrokerConfigs.find(s.name()).orElseThrow(() -> new AssertionError(s.name()));
                if (s.factor() == 1) {
                    assertEquals(topic.type(), broker.type(), s.name());
                    assertFalse(broker.readOnly(), s.name() + " can change while the broker runs");
                }
            }
        }
    }
}
