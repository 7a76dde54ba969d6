package dev.pgkafka.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;

/** Kafka's validation of config values and changes, with Kafka's messages. */
class ConfigChangesTest {

    private static Optional<ConfigProblem> topic(Map<String, String> overrides) {
        return ConfigChanges.topicProblem(overrides, ConfigLayers.NONE);
    }

    private static void assertInvalidConfig(String message, Optional<ConfigProblem> problem) {
        assertEquals(Optional.of(new ConfigProblem(ErrorCode.INVALID_CONFIG, message)), problem);
    }

    @Test
    void valuesAreCheckedWithKafkasWords() {
        assertEquals(Optional.empty(), topic(Map.of("retention.ms", "-1", "cleanup.policy", "compact,delete",
                "preallocate", " TRUE ", "min.cleanable.dirty.ratio", "0.01", "compression.type", "zstd")));
        assertInvalidConfig("Unknown topic config name: foo.bar", topic(Map.of("foo.bar", "1")));
        assertInvalidConfig("Invalid value abc for configuration retention.ms: Not a number of type LONG",
                topic(Map.of("retention.ms", "abc")));
        assertInvalidConfig("Invalid value -2 for configuration retention.ms: Value must be at least -1",
                topic(Map.of("retention.ms", "-2")));
        assertInvalidConfig("Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete",
                topic(Map.of("cleanup.policy", "foo")));
        assertInvalidConfig("Invalid value Compact for configuration cleanup.policy: String must be one of: compact, delete",
                topic(Map.of("cleanup.policy", "Compact")));
        assertInvalidConfig("Invalid value foo for configuration message.timestamp.type: String must be one of: "
                + "CreateTime, LogAppendTime", topic(Map.of("message.timestamp.type", "foo")));
        assertInvalidConfig("Invalid value brotli for configuration compression.type: String must be one of: "
                + "uncompressed, zstd, lz4, snappy, gzip, producer", topic(Map.of("compression.type", "brotli")));
        assertInvalidConfig("Invalid value -1 for configuration max.message.bytes: Value must be at least 0",
                topic(Map.of("max.message.bytes", "-1")));
        assertInvalidConfig("Invalid value 10 for configuration segment.bytes: Value must be at least 1048576",
                topic(Map.of("segment.bytes", "10")));
        assertInvalidConfig("Invalid value maybe for configuration preallocate: Expected value to be either true or false",
                topic(Map.of("preallocate", "maybe")));
        assertInvalidConfig("Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1",
                topic(Map.of("min.cleanable.dirty.ratio", "1.5")));
        assertInvalidConfig("conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)",
                topic(Map.of("min.compaction.lag.ms", "10", "max.compaction.lag.ms", "5")));
        assertTrue(topic(Map.of("remote.storage.enable", "true")).orElseThrow().message().contains("Tiered Storage"));
        assertEquals(Optional.empty(), topic(Map.of("cleanup.policy", "")), "an empty policy keeps everything");
    }

    @Test
    void incrementalOperationsOnATopic() {
        Map<String, String> start = Map.of("retention.ms", "1000");
        ConfigChanges.Outcome set = ConfigChanges.alterTopic(start, List.of(
                new AlterOp("max.message.bytes", AlterOp.Kind.SET, "2000"),
                new AlterOp("retention.ms", AlterOp.Kind.DELETE, null),
                new AlterOp("no.such.config", AlterOp.Kind.DELETE, null),
                new AlterOp("cleanup.policy", AlterOp.Kind.APPEND, "compact")), ConfigLayers.NONE);
        assertEquals(Map.of("max.message.bytes", "2000", "cleanup.policy", "delete,compact"), set.values());

        ConfigChanges.Outcome subtract = ConfigChanges.alterTopic(set.values(), List.of(
                new AlterOp("cleanup.policy", AlterOp.Kind.SUBTRACT, "delete")), ConfigLayers.NONE);
        assertEquals("compact", subtract.values().get("cleanup.policy"));

        assertEquals(new ConfigProblem(ErrorCode.INVALID_CONFIG,
                        "Can't APPEND to key retention.ms because its type is not LIST."),
                ConfigChanges.alterTopic(start, List.of(new AlterOp("retention.ms", AlterOp.Kind.APPEND, "1")),
                        ConfigLayers.NONE).problem());
        assertEquals(new ConfigProblem(ErrorCode.INVALID_REQUEST, "Error due to duplicate config keys"),
                ConfigChanges.alterTopic(start, List.of(new AlterOp("retention.ms", AlterOp.Kind.SET, "1"),
                        new AlterOp("retention.ms", AlterOp.Kind.SET, "2")), ConfigLayers.NONE).problem());
        assertEquals(new ConfigProblem(ErrorCode.INVALID_CONFIG, "Unknown topic config name: foo"),
                ConfigChanges.alterTopic(start, List.of(new AlterOp("foo", AlterOp.Kind.SET, "1")),
                        ConfigLayers.NONE).problem());
        assertEquals(new ConfigProblem(ErrorCode.INVALID_CONFIG,
                        "Invalid value x for configuration retention.ms: Not a number of type LONG"),
                ConfigChanges.alterTopic(start, List.of(new AlterOp("retention.ms", AlterOp.Kind.SET, "x")),
                        ConfigLayers.NONE).problem());
    }

    @Test
    void onlyDynamicBrokerConfigsChangeAtRuntime() {
        ConfigChanges.Outcome ok = ConfigChanges.alterBroker(Map.of("compression.type", "lz4"), List.of(
                new AlterOp("log.retention.ms", AlterOp.Kind.SET, "60000"),
                new AlterOp("compression.type", AlterOp.Kind.DELETE, null)), ConfigLayers.NONE);
        assertEquals(Map.of("log.retention.ms", "60000"), ok.values());

        assertEquals(new ConfigProblem(ErrorCode.INVALID_REQUEST,
                        "Cannot update these configs dynamically: [auto.create.topics.enable, num.partitions]"),
                ConfigChanges.alterBroker(Map.of(), List.of(
                        new AlterOp("num.partitions", AlterOp.Kind.SET, "3"),
                        new AlterOp("auto.create.topics.enable", AlterOp.Kind.SET, "false")), ConfigLayers.NONE).problem());
        assertEquals(new ConfigProblem(ErrorCode.INVALID_REQUEST,
                        "Invalid value x for configuration message.max.bytes: Not a number of type INT"),
                ConfigChanges.alterBroker(Map.of(), List.of(new AlterOp("message.max.bytes", AlterOp.Kind.SET, "x")),
                        ConfigLayers.NONE).problem());
        assertEquals(ErrorCode.INVALID_REQUEST, ConfigChanges.alterBroker(Map.of(),
                List.of(new AlterOp("foo.bar", AlterOp.Kind.SET, "1")), ConfigLayers.NONE).problem().error());
        assertEquals(Map.of("log.cleanup.policy", "delete,compact"), ConfigChanges.alterBroker(Map.of(),
                List.of(new AlterOp("log.cleanup.policy", AlterOp.Kind.APPEND, "compact")), ConfigLayers.NONE).values());
    }
}
