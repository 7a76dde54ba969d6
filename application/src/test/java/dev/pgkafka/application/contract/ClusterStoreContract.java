package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.pgkafka.application.port.out.ClusterStorePort} and
 * {@link dev.pgkafka.application.port.out.StorageHealthPort}.
 */
public abstract class ClusterStoreContract extends StorageContract {

    @Test
    void clusterIdLooksLikeKafkas() {
        String id = storage.cluster().clusterId();
        assertTrue(id.matches("[A-Za-z0-9_-]{22}"), "22 characters of URL-safe base64: " + id);
        assertFalse(id.startsWith("-"), "Kafka never starts an id with '-': " + id);
    }

    @Test
    void clusterIdStaysTheSameAcrossReopens() {
        String id = storage.cluster().clusterId();
        assertEquals(id, storage.cluster().clusterId());
        assertEquals(id, reopen().cluster().clusterId());
        storage.close();
        assertEquals(id, reopen().cluster().clusterId());
    }

    @Test
    void healthyStoragePingsAndDescribesItself() {
        storage.health().ping();
        String description = storage.health().describe();
        assertFalse(description == null || description.isBlank(), "a description for logs");
        assertFalse(description.toLowerCase().contains("password"), "no credentials: " + description);
    }
}
