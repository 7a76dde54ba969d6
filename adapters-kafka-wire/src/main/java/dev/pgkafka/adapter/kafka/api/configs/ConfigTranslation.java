package dev.pgkafka.adapter.kafka.api.configs;

import org.apache.kafka.common.requests.DescribeConfigsResponse;

import dev.pgkafka.domain.config.ConfigResource;
import dev.pgkafka.domain.config.ConfigSource;
import dev.pgkafka.domain.config.ConfigType;

/** Kafka's wire codes for config resources, sources and types, and the domain's names for them. */
public final class ConfigTranslation {
    private ConfigTranslation() {
    }

    public static ConfigResource resource(byte type, String name) {
        org.apache.kafka.common.config.ConfigResource.Type kafka = org.apache.kafka.common.config.ConfigResource.Type.forId(type);
        ConfigResource.Type ours = switch (kafka) {
            case TOPIC -> ConfigResource.Type.TOPIC;
            case BROKER -> ConfigResource.Type.BROKER;
            default -> ConfigResource.Type.UNSUPPORTED;
        };
        return new ConfigResource(ours, name);
    }

    public static byte source(ConfigSource source) {
        return DescribeConfigsResponse.ConfigSource.valueOf(source.name()).id();
    }

    public static byte type(ConfigType type) {
        return DescribeConfigsResponse.ConfigType.valueOf(type.name()).id();
    }
}
