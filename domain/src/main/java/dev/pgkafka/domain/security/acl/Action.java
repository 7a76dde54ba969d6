package dev.pgkafka.domain.security.acl;

import java.util.Objects;

/**
 * One thing a request wants to do to one resource, named literally (Kafka's {@code Action}).
 *
 * @param logIfAllowed whether an ALLOWED decision is worth an audit line at INFO (Kafka logs
 *                     allowed decisions at DEBUG unless the request explicitly asked for the resource)
 * @param logIfDenied  whether a DENIED decision is worth an audit line at INFO (false when the
 *                     request only filters what it shows, e.g. Metadata for all topics)
 */
public record Action(AclOperation operation, ResourceType resourceType, String resourceName, boolean logIfAllowed,
                     boolean logIfDenied) {
    public Action {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(resourceType, "resourceType");
        Objects.requireNonNull(resourceName, "resourceName");
    }

    public Action(AclOperation operation, ResourceType resourceType, String resourceName) {
        this(operation, resourceType, resourceName, true, true);
    }

    public static Action onCluster(AclOperation operation) {
        return new Action(operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }
}
