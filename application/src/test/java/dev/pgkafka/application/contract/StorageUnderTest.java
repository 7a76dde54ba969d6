package dev.pgkafka.application.contract;

import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.application.port.out.BrokerConfigStorePort;
import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.application.port.out.ClusterStorePort;
import dev.pgkafka.application.port.out.ConsumerGroupStorePort;
import dev.pgkafka.application.port.out.GroupStorePort;
import dev.pgkafka.application.port.out.OffsetStorePort;
import dev.pgkafka.application.port.out.LogCleanerPort;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.ProducerIdPort;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.application.port.out.StorageHealthPort;
import dev.pgkafka.application.port.out.TopicStorePort;

/**
 * One open instance of a storage adapter, as the contract tests see it: the ports of the SPI and a
 * way to close it (like a broker shutting down).
 */
public interface StorageUnderTest extends AutoCloseable {
    TopicStorePort topics();

    PartitionLogPort log();

    ProducerIdPort producerIds();

    ClusterStorePort cluster();

    StorageHealthPort health();

    GroupStorePort groupStore();

    OffsetStorePort offsetStore();

    ConsumerGroupStorePort consumerGroupStore();

    LogCleanerPort cleaner();

    BrokerConfigStorePort brokerConfigs();

    ScramCredentialStorePort scramCredentials();
    AclStorePort acls();

    ClientQuotaStorePort clientQuotas();

    /** Releases the instance; may be called more than once. */
    @Override
    void close();
}
