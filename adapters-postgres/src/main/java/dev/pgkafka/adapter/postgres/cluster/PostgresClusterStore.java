package dev.pgkafka.adapter.postgres.cluster;

import static dev.pgkafka.adapter.postgres.schema.Tables.CLUSTER;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.application.port.out.ClusterStorePort;
import dev.pgkafka.domain.topic.TopicIds;

/** The cluster id in the one-row table {@code kafka.cluster}, created the first time the storage opens. */
public final class PostgresClusterStore implements ClusterStorePort {
    private final Database db;
    private volatile String clusterId;

    public PostgresClusterStore(Database db) {
        this.db = db;
    }

    /** Creates the cluster id unless one exists; safe when several brokers open the storage at once. */
    public void ensureClusterId() {
        db.autoCommit("create the cluster id", (c, sql) -> sql.insertInto(CLUSTER, CLUSTER.CLUSTER_ID)
                .values(TopicIds.base64(TopicIds.random()))
                .onConflictDoNothing()
                .execute());
    }

    @Override
    public String clusterId() {
        String id = clusterId;
        if (id == null) {
            id = db.autoCommit("read the cluster id", (c, sql) -> sql.select(CLUSTER.CLUSTER_ID).from(CLUSTER).fetchSingle().value1());
            clusterId = id;
        }
        return id;
    }
}
