package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.out.BrokerConfigStorePort;

/** The contract of {@link BrokerConfigStorePort}: layers of dynamic broker configs. */
public abstract class BrokerConfigStoreContract extends StorageContract {

    @Test
    void aLayerNeverWrittenIsEmpty() {
        assertEquals(Map.of(), storage.brokerConfigs().load(uniqueName("layer")));
    }

    @Test
    void replaceStoresExactlyTheGivenValues() {
        String layer = uniqueName("layer");
        storage.brokerConfigs().replace(layer, Map.of("log.retention.ms", "1000", "message.max.bytes", "2000"));
        assertEquals(Map.of("log.retention.ms", "1000", "message.max.bytes", "2000"), storage.brokerConfigs().load(layer));

        storage.brokerConfigs().replace(layer, Map.of("message.max.bytes", "3000", "log.cleanup.policy", "compact,delete"));
        assertEquals(Map.of("message.max.bytes", "3000", "log.cleanup.policy", "compact,delete"),
                storage.brokerConfigs().load(layer), "names absent from the replacement are gone");

        storage.brokerConfigs().replace(layer, Map.of());
        assertEquals(Map.of(), storage.brokerConfigs().load(layer));
    }

    @Test
    void layersAreIndependentAndSurviveAReopen() {
        String a = uniqueName("layer");
        String b = uniqueName("layer");
        storage.brokerConfigs().replace(a, Map.of("log.retention.ms", "1"));
        storage.brokerConfigs().replace(b, Map.of("log.retention.ms", "2"));

        StorageUnderTest again = reopen();
        assertEquals(Map.of("log.retention.ms", "1"), again.brokerConfigs().load(a));
        assertEquals(Map.of("log.retention.ms", "2"), again.brokerConfigs().load(b));
    }

    @Test
    void theClusterDefaultLayerIsALayerLikeAnyOther() {
        Map<String, String> before = storage.brokerConfigs().load(BrokerConfigStorePort.CLUSTER_DEFAULT);
        try {
            storage.brokerConfigs().replace(BrokerConfigStorePort.CLUSTER_DEFAULT, Map.of("compression.type", "lz4"));
            assertEquals(Map.of("compression.type", "lz4"),
                    storage.brokerConfigs().load(BrokerConfigStorePort.CLUSTER_DEFAULT));
        } finally {
            storage.brokerConfigs().replace(BrokerConfigStorePort.CLUSTER_DEFAULT, before);
        }
    }
}
