package dev.pgkafka.application.service;

import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.out.ClusterStorePort;

/** The cluster id (read once from storage) and this broker's node id. */
public final class ClusterService implements ClusterUseCase {
    private final ClusterStorePort store;
    private final BrokerSettings settings;
    private volatile String clusterId;

    public ClusterService(ClusterStorePort store, BrokerSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    @Override
    public String clusterId() {
        String id = clusterId;
        if (id == null) {
            id = store.clusterId();
            clusterId = id;
        }
        return id;
    }

    @Override
    public int nodeId() {
        return settings.nodeId();
    }
}
