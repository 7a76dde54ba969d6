package dev.pgkafka.application.memory;

import org.junit.jupiter.api.Nested;

import dev.pgkafka.application.contract.AclStoreContract;
import dev.pgkafka.application.contract.ClientQuotaStoreContract;
import dev.pgkafka.application.contract.BrokerConfigStoreContract;
import dev.pgkafka.application.contract.ClusterStoreContract;
import dev.pgkafka.application.contract.ConsumerGroupStoreContract;
import dev.pgkafka.application.contract.GroupStoreContract;
import dev.pgkafka.application.contract.OffsetStoreContract;
import dev.pgkafka.application.contract.LogCleanerContract;
import dev.pgkafka.application.contract.PartitionLogContract;
import dev.pgkafka.application.contract.ProducerIdContract;
import dev.pgkafka.application.contract.ScramCredentialStoreContract;
import dev.pgkafka.application.contract.StorageUnderTest;
import dev.pgkafka.application.contract.TopicStoreContract;
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

/** The in-memory reference implementation runs the whole storage contract kit. */
class InMemoryStorageContractTest {

    /** One InMemoryStorage per test; a reopen sees the same objects, as a restart would see the same data. */
    private static final class Data {
        InMemoryStorage storage;

        StorageUnderTest fresh() {
            storage = new InMemoryStorage();
            return view(storage);
        }

        StorageUnderTest again() {
            return view(storage);
        }
    }

    static StorageUnderTest view(InMemoryStorage s) {
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
                return s.groupStore();
            }

            @Override
            public OffsetStorePort offsetStore() {
                return s.offsetStore();
            }

            @Override
            public ConsumerGroupStorePort consumerGroupStore() {
                return s.consumerGroupStore();
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
                // nothing to release
            }
        };
    }

    @Nested
    class Topics extends TopicStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class Log extends PartitionLogContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class ProducerIds extends ProducerIdContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class Cluster extends ClusterStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class Groups extends GroupStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class ConsumerGroups extends ConsumerGroupStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class Offsets extends OffsetStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class Cleaner extends LogCleanerContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class BrokerConfigs extends BrokerConfigStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class ScramCredentials extends ScramCredentialStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class Acls extends AclStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }

    @Nested
    class Quotas extends ClientQuotaStoreContract {
        private final Data data = new Data();

        @Override
        protected StorageUnderTest createStorage() {
            return data.fresh();
        }

        @Override
        protected StorageUnderTest reopenStorage() {
            return data.again();
        }
    }
}
