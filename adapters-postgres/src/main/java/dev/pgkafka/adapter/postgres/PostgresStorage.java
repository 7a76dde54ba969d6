package dev.pgkafka.adapter.postgres;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

import dev.pgkafka.adapter.postgres.acl.PostgresAclStore;
import dev.pgkafka.adapter.postgres.cluster.PostgresClusterStore;
import dev.pgkafka.adapter.postgres.config.PostgresBrokerConfigStore;
import dev.pgkafka.adapter.postgres.cluster.PostgresHealth;
import dev.pgkafka.adapter.postgres.group.PostgresConsumerGroupStore;
import dev.pgkafka.adapter.postgres.group.PostgresGroupStore;
import dev.pgkafka.adapter.postgres.group.PostgresOffsetStore;
import dev.pgkafka.adapter.postgres.jdbc.ConnectionPool;
import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.log.PostgresLogCleaner;
import dev.pgkafka.adapter.postgres.log.PostgresPartitionLog;
import dev.pgkafka.adapter.postgres.producer.PostgresProducerIds;
import dev.pgkafka.adapter.postgres.quota.PostgresClientQuotaStore;
import dev.pgkafka.adapter.postgres.security.PostgresScramCredentialStore;
import dev.pgkafka.adapter.postgres.topic.PostgresTopicStore;
import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.adapter.postgres.txn.PostgresTransactionStore;
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
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.port.out.StorageHealthPort;
import dev.pgkafka.application.port.out.TopicStorePort;
import dev.pgkafka.application.port.out.TransactionStorePort;

/**
 * The storage SPI on a PostgreSQL database: opening it creates a connection pool and migrates the
 * schema {@code kafka} to the current version. Close it to close the pool.
 *
 * <pre>{@code
 * try (PostgresStorage storage = PostgresStorage.open("jdbc:postgresql://localhost:5432/kafka?user=kafka", 16)) {
 *     storage.log().append(tx -> ...);
 * }
 * }</pre>
 */
public final class PostgresStorage implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PostgresStorage.class.getName());
    /** Everything lives in this schema; connections put it first on their search path. */
    public static final String SCHEMA = "kafka";
    private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(30);

    static {
        // jOOQ prints a banner and tips at first use unless told otherwise
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private final Database db;
    private final PostgresTopicStore topics;
    private final PostgresPartitionLog log;
    private final PostgresProducerIds producerIds;
    private final PostgresClusterStore cluster;
    private final PostgresHealth health;
    private final PostgresGroupStore groups;
    private final PostgresConsumerGroupStore consumerGroups;
    private final PostgresOffsetStore offsets;
    private final PostgresLogCleaner cleaner;
    private final PostgresBrokerConfigStore brokerConfigs;
    private final PostgresTransactionStore transactions;
    private final PostgresScramCredentialStore scramCredentials;
    private final PostgresAclStore acls;
    private final PostgresClientQuotaStore clientQuotas;

    private PostgresStorage(Database db, String description) {
        this.db = db;
        TopicKeys topicKeys = new TopicKeys();
        this.topics = new PostgresTopicStore(db, topicKeys);
        this.log = new PostgresPartitionLog(db, topicKeys);
        this.producerIds = new PostgresProducerIds(db);
        this.cluster = new PostgresClusterStore(db);
        this.health = new PostgresHealth(db, description);
        this.groups = new PostgresGroupStore(db);
        this.consumerGroups = new PostgresConsumerGroupStore(db);
        this.offsets = new PostgresOffsetStore(db, topicKeys);
        this.cleaner = new PostgresLogCleaner(db, topicKeys);
        this.brokerConfigs = new PostgresBrokerConfigStore(db);
        this.transactions = new PostgresTransactionStore(db, topicKeys);
        this.scramCredentials = new PostgresScramCredentialStore(db);
        this.acls = new PostgresAclStore(db);
        this.clientQuotas = new PostgresClientQuotaStore(db);
    }

    /**
     * Opens the storage in the database the JDBC URL names (user and password may be URL
     * parameters), migrating its schema {@code kafka}.
     *
     * @param maxConnections the most connections the pool opens
     * @throws StorageException when the database cannot be reached or migrated
     */
    public static PostgresStorage open(String jdbcUrl, int maxConnections) {
        PGSimpleDataSource dataSource = dataSource(jdbcUrl);
        String where = where(dataSource);
        MigrateResult migration;
        try {
            migration = Flyway.configure(PostgresStorage.class.getClassLoader())
                    .dataSource(dataSource)
                    .schemas(SCHEMA)
                    .defaultSchema(SCHEMA)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StorageException("could not migrate the schema " + SCHEMA + " in " + where + ": " + e.getMessage(), e);
        }
        ConnectionPool pool = new ConnectionPool(dataSource, maxConnections, BORROW_TIMEOUT);
        Database db = new Database(pool);
        try {
            String version = db.autoCommit("read the server version", (c, sql) -> serverVersion(c));
            String description = "PostgreSQL " + version + " at " + where + " (schema " + SCHEMA + ")";
            PostgresStorage storage = new PostgresStorage(db, description);
            storage.cluster.ensureClusterId();
            LOG.log(Level.INFO, "storage: {0}, schema version {1} ({2} migration(s) applied now), pool of {3} connection(s)",
                    description, migration.targetSchemaVersion != null ? migration.targetSchemaVersion : migration.initialSchemaVersion,
                    migration.migrationsExecuted, maxConnections);
            return storage;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static PGSimpleDataSource dataSource(String jdbcUrl) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl); // parses host, port, database and URL parameters
        ds.setCurrentSchema(SCHEMA);
        if (ds.getApplicationName() == null || ds.getApplicationName().startsWith("PostgreSQL JDBC")) {
            ds.setApplicationName("pgkafka");
        }
        return ds;
    }

    /** Host, port, database and user: never the password. */
    private static String where(PGSimpleDataSource ds) {
        String hosts = ds.getServerNames() == null ? "localhost" : String.join(",", ds.getServerNames());
        String ports = Arrays.stream(ds.getPortNumbers() == null ? new int[0] : ds.getPortNumbers())
                .mapToObj(p -> p == 0 ? "5432" : Integer.toString(p))
                .collect(Collectors.joining(","));
        return hosts + (ports.isEmpty() ? "" : ":" + ports) + "/" + ds.getDatabaseName()
                + (ds.getUser() == null ? "" : " as " + ds.getUser());
    }

    private static String serverVersion(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        return meta.getDatabaseProductVersion();
    }

    public TopicStorePort topics() {
        return topics;
    }

    public PartitionLogPort log() {
        return log;
    }

    public ProducerIdPort producerIds() {
        return producerIds;
    }

    public ClusterStorePort cluster() {
        return cluster;
    }

    public StorageHealthPort health() {
        return health;
    }

    public GroupStorePort groups() {
        return groups;
    }

    public OffsetStorePort offsets() {
        return offsets;
    }

    public ConsumerGroupStorePort consumerGroups() {
        return consumerGroups;
    }

    public LogCleanerPort cleaner() {
        return cleaner;
    }

    public BrokerConfigStorePort brokerConfigs() {
        return brokerConfigs;
    }

    public TransactionStorePort transactions() {
        return transactions;
    }

    /** SCRAM credentials ({@code kafka.scram_credentials}): what SASL/SCRAM and PLAIN logins check. */
    public ScramCredentialStorePort scramCredentials() {
        return scramCredentials;
    }

    /** Kafka's ACLs ({@code kafka.acls}), shared by the brokers on this database. */
    public AclStorePort acls() {
        return acls;
    }

    /** Kafka's client quotas ({@code kafka.client_quotas}), shared by the brokers on this database. */
    public ClientQuotaStorePort clientQuotas() {
        return clientQuotas;
    }

    @Override
    public void close() {
        db.close();
    }
}
