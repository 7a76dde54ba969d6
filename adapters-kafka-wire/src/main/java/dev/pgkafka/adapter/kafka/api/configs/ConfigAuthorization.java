package dev.pgkafka.adapter.kafka.api.configs;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * What Kafka asks before it shows or changes a config resource: the operation on the cluster for
 * brokers, broker loggers and client metrics, on the topic for topics, on the group for groups.
 */
final class ConfigAuthorization {
    private ConfigAuthorization() {
    }

    /**
     * NONE when allowed, else Kafka's error for the resource's type; NONE for types Kafka does not know
     * (the request is refused for those anyway).
     */
    static Errors check(AuthHelper auth, RequestContext context, AclOperation operation, byte resourceType, String name) {
        return switch (ConfigResource.Type.forId(resourceType)) {
            case BROKER, BROKER_LOGGER, CLIENT_METRICS -> auth.authorizeCluster(context, operation) ? Errors.NONE
                    : Errors.CLUSTER_AUTHORIZATION_FAILED;
            case TOPIC -> auth.authorize(context, operation, ResourceType.TOPIC, name) ? Errors.NONE
                    : Errors.TOPIC_AUTHORIZATION_FAILED;
            case GROUP -> auth.authorize(context, operation, ResourceType.GROUP, name) ? Errors.NONE
                    : Errors.GROUP_AUTHORIZATION_FAILED;
            default -> Errors.NONE;
        };
    }
}
