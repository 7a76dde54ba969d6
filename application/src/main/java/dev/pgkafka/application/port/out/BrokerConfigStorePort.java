package dev.pgkafka.application.port.out;

import java.util.Map;

/**
 * Dynamic broker configs that outlive a broker process, in layers: {@link #CLUSTER_DEFAULT} for
 * the cluster-wide defaults, or a node id (as text) for one broker's own values.
 */
public interface BrokerConfigStorePort {
    /** The layer of cluster-wide defaults (Kafka's BROKER resource with the empty name). */
    String CLUSTER_DEFAULT = "";

    /** The values stored in a layer, by config name; empty when none. */
    Map<String, String> load(String layer);

    /** Replaces the values of a layer atomically: names absent from {@code values} are removed. */
    void replace(String layer, Map<String, String> values);
}
