package dev.pgkafka.application.port.in;

import java.util.List;
import java.util.Map;

import dev.pgkafka.domain.config.AlterOp;
import dev.pgkafka.domain.config.ConfigEntry;
import dev.pgkafka.domain.config.ConfigResource;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/**
 * Describe and change the configs of topics and brokers, as Kafka's DescribeConfigs, AlterConfigs
 * and IncrementalAlterConfigs do. Each resource succeeds or fails on its own; results come in the
 * order of the request.
 */
public interface ConfigsUseCase {

    List<DescribeResult> describe(List<DescribeRequest> resources, boolean includeSynonyms, boolean includeDocumentation);

    /** Applies set, delete, append and subtract operations per resource. */
    List<AlterResult> incrementalAlter(List<IncrementalAlter> changes, boolean validateOnly);

    /** The legacy AlterConfigs: each resource's dynamic configs are replaced by exactly the given ones. */
    List<AlterResult> replace(List<Replace> replacements, boolean validateOnly);

    /** Every config of a topic (e.g. one just created) as DescribeConfigs shows it, without synonyms. */
    List<ConfigEntry> topicConfigs(Topic topic);

    /** @param keys the config names asked for, or null for all */
    record DescribeRequest(ConfigResource resource, List<String> keys) {
    }

    record DescribeResult(ConfigResource resource, ErrorCode error, String errorMessage, List<ConfigEntry> configs) {
        public static DescribeResult failed(ConfigResource resource, ErrorCode error, String message) {
            return new DescribeResult(resource, error, message, List.of());
        }
    }

    record IncrementalAlter(ConfigResource resource, List<AlterOp> ops) {
        public IncrementalAlter {
            ops = List.copyOf(ops);
        }
    }

    /** @param values the new values; a null value counts as not set */
    record Replace(ConfigResource resource, Map<String, String> values) {
    }

    record AlterResult(ConfigResource resource, ErrorCode error, String errorMessage) {
        public static AlterResult ok(ConfigResource resource) {
            return new AlterResult(resource, ErrorCode.NONE, null);
        }
    }
}
