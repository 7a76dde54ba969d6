package dev.pgkafka.application.port.out;

/** Facts about the cluster that outlive a broker process. */
public interface ClusterStorePort {
    /** The cluster id, created with the storage and the same ever after. */
    String clusterId();
}
