package dev.pgkafka.adapter.postgres;

import dev.pgkafka.application.contract.StorageUnderTest;
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

/** Opens {@link PostgresStorage} as the contract kit wants to see it. */
final class PostgresContractSupport {
    /** Enough connections for the contracts' concurrent tests (8 writer threads) without waiting. */
    static final int POOL_SIZE = 10;

    private PostgresContractSupport() {
    }

    static StorageUnderTest open(String jdbcUrl) {
        PostgresStorage s = PostgresStorage.open(jdbcUrl, POOL_SIZE);
        return new StorageUnderTest() {
            @Override
            public TopicStorePort topics() {
                return s.topics();
            }

            @Override
            public PartitionLogPort log() {
                return s.log();
            }

            @Override
            public ProducerIdPort producerIds() {
                return s.producerIds();
            }

            @Override
            public ClusterStorePort cluster() {
                return s.cluster();
            }

            @Override
            public StorageHealthPort health() {
                return s.health();
            }

            @Override
            public GroupStorePort groupStore() {
                return s.groups();
            }

            @Override
            public OffsetStorePort offsetStore() {
                return s.offsets();
            }

            @Override
            public ConsumerGroupStorePort consumerGroupStore() {
                return s.consumerGroups();
            }

            @Override
            public LogCleanerPort cleaner() {
                return s.cleaner();
            }

            @Override
            public BrokerConfigStorePort brokerConfigs() {
                return s.brokerConfigs();
            }

            @Override
            public ScramCredentialStorePort scramCredentials() {
                return s.scramCredentials();
            }

            @Override
            public AclStorePort acls() {
                return s.acls();
            }

            @Override
            public ClientQuotaStorePort clientQuotas() {
                return s.clientQuotas();
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }
}
