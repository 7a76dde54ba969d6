package dev.pgkafka.adapter.postgres;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Supplier;
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
import dev.pgkafka.adapter.postgres.jdbc.Availability;
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
 * schema {@code kafka} to the current version. Close it to close the pools.
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

    static {
        // jOOQ prints a banner and tips at first use unless told otherwise
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private final Bulkheads bulkheads;
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
    private List<String> durabilityWarnings = List.of();

    /**
     * The three pools (bulkheads) and which stores use which: produce and fetch never wait for a
     * connection that a coordinator, the log cleaner or the HTTP admin API holds.
     */
    private record Bulkheads(Database data, Database coordinators, Database background, Availability availability) {
        void close() {
            availability.close();
            data.close();
            coordinators.close();
            background.close();
        }
    }

    private PostgresStorage(Bulkheads b, String description) {
        this.bulkheads = b;
        TopicKeys topicKeys = new TopicKeys();
        // the data path: appends and reads of the partition logs
        this.log = new PostgresPartitionLog(b.data(), topicKeys);
        // coordinators and metadata changes: groups, offsets, transactions, producer ids, topics, configs, logins
        this.topics = new PostgresTopicStore(b.coordinators(), topicKeys);
        this.producerIds = new PostgresProducerIds(b.coordinators());
        this.groups = new PostgresGroupStore(b.coordinators());
        this.consumerGroups = new PostgresConsumerGroupStore(b.coordinators());
        this.offsets = new PostgresOffsetStore(b.coordinators(), topicKeys);
        this.transactions = new PostgresTransactionStore(b.coordinators(), topicKeys);
        this.brokerConfigs = new PostgresBrokerConfigStore(b.coordinators());
        this.scramCredentials = new PostgresScramCredentialStore(b.coordinators());
        // background work: the log cleaner, ACL polling, the cluster id, the readiness probe
        this.cleaner = new PostgresLogCleaner(b.background(), topicKeys);
        this.acls = new PostgresAclStore(b.background());
        this.cluster = new PostgresClusterStore(b.background());
        this.health = new PostgresHealth(b.background(), b.availability(), description);
        // quotas are polled like the ACLs: background work
        this.clientQuotas = new PostgresClientQuotaStore(b.background());
    }

    /**
     * Opens the storage in the database the JDBC URL names (user and password may be URL
     * parameters), migrating its schema {@code kafka}, with the default timeouts and
     * {@code maxConnections} split between the pools ({@link DatabaseSettings#forPoolSize}).
     *
     * @param maxConnections the connections of the three pools together (each has at least one)
     * @throws StorageException when the database cannot be reached or migrated
     */
    public static PostgresStorage open(String jdbcUrl, int maxConnections) {
        return open(jdbcUrl, DatabaseSettings.forPoolSize(maxConnections));
    }

    /**
     * Opens the storage in the database the JDBC URL names, migrating its schema {@code kafka}.
     *
     * @throws StorageException when the database cannot be reached or migrated
     */
    public static PostgresStorage open(String jdbcUrl, DatabaseSettings settings) {
        Properties inUrl = urlParameters(jdbcUrl);
        // migrations may run long (an index on a big table): no socket or statement timeout for them
        PGSimpleDataSource migrations = dataSource(jdbcUrl);
        if (!inUrl.containsKey("connectTimeout")) {
            migrations.setConnectTimeout(seconds(settings.connectTimeout()));
        }
        String where = where(migrations);
        MigrateResult migration;
        try {
            migration = Flyway.configure(PostgresStorage.class.getClassLoader())
                    .dataSource(migrations)
                    .schemas(SCHEMA)
                    .defaultSchema(SCHEMA)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new StorageException("could not migrate the schema " + SCHEMA + " in " + where + ": " + e.getMessage(), e);
        }
        PGSimpleDataSource dataSource = pooledDataSource(jdbcUrl, inUrl, settings);
        // the probe gets the connect timeout for all of it (login and SELECT 1): a server that accepts
        // connections but says nothing counts as down after that long, not after the socket timeout
        PGSimpleDataSource probing = pooledDataSource(jdbcUrl, inUrl, settings);
        if (!inUrl.containsKey("socketTimeout")) {
            probing.setSocketTimeout(seconds(settings.connectTimeout()));
        }
        probing.setApplicationName(dataSource.getApplicationName() + " probe");
        Availability availability = new Availability(where, () -> probe(probing), settings.connectTimeout());
        Session session = Session.of(inUrl, settings);
        ConnectionPool data = new ConnectionPool("data", dataSource, settings.dataPoolSize(), settings.borrowTimeout(),
                session.setup(settings.statementTimeout(), session.socketTimeoutMillis()));
        ConnectionPool coordinators = new ConnectionPool("coordinators", dataSource, settings.coordinatorPoolSize(),
                settings.borrowTimeout(), session.setup(settings.statementTimeout(), session.socketTimeoutMillis()));
        ConnectionPool background = new ConnectionPool("background", dataSource, settings.backgroundPoolSize(),
                settings.borrowTimeout(), session.setup(settings.backgroundStatementTimeout(),
                        session.socketTimeoutMillis() == 0 ? 0
                                : session.socketTimeoutMillis() + settings.backgroundStatementTimeout().toMillis()));
        List.of(data, coordinators, background).forEach(availability::watch);
        availability.start();
        Bulkheads bulkheads = new Bulkheads(new Database(data, background, availability),
                new Database(coordinators, background, availability), new Database(background, background, availability),
                availability);
        try {
            String version = bulkheads.background().autoCommit("read the server version", (c, sql) -> serverVersion(c));
            String description = "PostgreSQL " + version + " at " + where + " (schema " + SCHEMA + ")";
            PostgresStorage storage = new PostgresStorage(bulkheads, description);
            storage.cluster.ensureClusterId();
            Map<String, String> server = serverSettings(bulkheads.background());
            storage.durabilityWarnings = durabilityWarnings(server, where);
            storage.durabilityWarnings.forEach(w -> LOG.log(Level.WARNING, w));
            if ("off".equals(server.get("autovacuum"))) {
                LOG.log(Level.WARNING, "PostgreSQL " + where + " runs with autovacuum=off: the log cleaner vacuums "
                        + "the broker's tables itself (the records after retention, the tables updated in place at most "
                        + "once a minute), but nothing vacuums the rest of the database or prevents transaction id "
                        + "wraparound. Set autovacuum=on.");
            }
            LOG.log(Level.INFO, "storage: {0}, schema version {1} ({2} migration(s) applied now); pools of {3} (data), "
                            + "{4} (coordinators) and {5} (background) connection(s); statement timeout {6}, socket "
                            + "timeout {7} ms", description,
                    migration.targetSchemaVersion != null ? migration.targetSchemaVersion : migration.initialSchemaVersion,
                    migration.migrationsExecuted, settings.dataPoolSize(), settings.coordinatorPoolSize(),
                    settings.backgroundPoolSize(), session.statementTimeoutInUrl ? "from the URL"
                            : settings.statementTimeout().toMillis() + " ms",
                    String.valueOf(session.socketTimeoutMillis()));
            return storage;
        } catch (RuntimeException e) {
            bulkheads.close();
            throw e;
        }
    }

    /** The parameters the URL sets itself (they win over the settings). */
    private static Properties urlParameters(String jdbcUrl) {
        Properties p = org.postgresql.Driver.parseURL(jdbcUrl, null);
        return p == null ? new Properties() : p;
    }

    private static int seconds(Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    private static PGSimpleDataSource pooledDataSource(String jdbcUrl, Properties inUrl, DatabaseSettings settings) {
        PGSimpleDataSource ds = dataSource(jdbcUrl);
        if (!inUrl.containsKey("connectTimeout")) {
            ds.setConnectTimeout(seconds(settings.connectTimeout()));
        }
        if (!inUrl.containsKey("socketTimeout")) {
            // also bounds the login: a server that accepts the TCP connection and then says nothing
            ds.setSocketTimeout(seconds(settings.socketTimeout()));
        }
        if (!inUrl.containsKey("tcpKeepAlive")) {
            ds.setTcpKeepAlive(settings.tcpKeepAlive());
        }
        return ds;
    }

    /** Whether PostgreSQL answers: a fresh connection (never one of a pool's, which may be stuck) and SELECT 1. */
    private static void probe(PGSimpleDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
    }

    /**
     * What each new pooled connection is told: its socket timeout (the pool's) and the server-side
     * timeouts, unless the URL set them.
     */
    private record Session(boolean statementTimeoutInUrl, boolean idleTimeoutInUrl, long socketTimeoutMillis,
                           long idleInTransactionMillis) {
        static Session of(Properties inUrl, DatabaseSettings settings) {
            String options = inUrl.getProperty("options", "");
            long socket = inUrl.containsKey("socketTimeout")
                    ? Long.parseLong(inUrl.getProperty("socketTimeout").trim()) * 1000
                    : settings.socketTimeout().toMillis();
            return new Session(options.contains("statement_timeout"), options.contains("idle_in_transaction_session_timeout"),
                    socket, settings.idleInTransactionSessionTimeout().toMillis());
        }

        ConnectionPool.ConnectionSetup setup(Duration statementTimeout, long networkTimeoutMillis) {
            List<String> names = new ArrayList<>();
            List<String> values = new ArrayList<>();
            if (!statementTimeoutInUrl) {
                names.add("statement_timeout");
                values.add(Long.toString(statementTimeout.toMillis()));
            }
            if (!idleTimeoutInUrl) {
                names.add("idle_in_transaction_session_timeout");
                values.add(Long.toString(idleInTransactionMillis));
            }
            return c -> {
                if (networkTimeoutMillis > 0) {
                    c.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, networkTimeoutMillis));
                }
                if (names.isEmpty()) {
                    return;
                }
                // one round trip, bind values; set_config(..., false) lasts for the session
                String sql = "SELECT " + String.join(", ", names.stream().map(n -> "set_config('" + n + "', ?, false)").toList());
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < values.size(); i++) {
                        ps.setString(i + 1, values.get(i));
                    }
                    ps.execute();
                }
            };
        }
    }

    /** The server settings the start checks: durability and autovacuum. */
    private static Map<String, String> serverSettings(Database db) {
        return db.autoCommit("read the durability and autovacuum settings", (c, sql) -> {
            Map<String, String> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, setting FROM pg_settings WHERE name IN "
                    + "('fsync', 'synchronous_commit', 'full_page_writes', 'autovacuum')");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    /**
     * Warnings about server settings under which an acknowledged record is not durable: PostgreSQL
     * confirms commits before they are on disk ({@code synchronous_commit=off}) or does not force
     * them to disk at all ({@code fsync=off}), or a crash can tear pages ({@code full_page_writes=off}).
     */
    private static List<String> durabilityWarnings(Map<String, String> settings, String where) {
        List<String> warnings = new ArrayList<>();
        if ("off".equals(settings.get("fsync"))) {
            warnings.add("PostgreSQL " + where + " runs with fsync=off: commits are never forced to disk, so acknowledged "
                    + "records (acks=1 and acks=all), committed offsets and the database itself can be lost or corrupted "
                    + "when the machine crashes. Set fsync=on.");
        }
        if ("off".equals(settings.get("synchronous_commit"))) {
            warnings.add("PostgreSQL " + where + " runs with synchronous_commit=off: it confirms a commit before the commit "
                    + "is on disk, so records acknowledged to producers (acks=1 and acks=all) and committed offsets can be "
                    + "lost when PostgreSQL crashes. Set synchronous_commit=on (or local, remote_write, remote_apply) for "
                    + "the server, the database or the broker's user.");
        }
        if ("off".equals(settings.get("full_page_writes"))) {
            warnings.add("PostgreSQL " + where + " runs with full_page_writes=off: a crash during a write can leave torn "
                    + "pages that recovery cannot repair. Set full_page_writes=on unless the file system prevents torn "
                    + "writes.");
        }
        return List.copyOf(warnings);
    }

    /** The data path's pool, for tests of the session settings and bulkheads. */
    Database dataPool() {
        return bulkheads.data();
    }

    /** The background pool, for tests of the session settings and bulkheads. */
    Database backgroundPool() {
        return bulkheads.background();
    }

    /** The warnings about non-durable server settings logged at start (empty when commits are durable). */
    public List<String> durabilityWarnings() {
        return durabilityWarnings;
    }

    /**
     * Runs {@code work} (typically a call of the HTTP admin API) with its database calls on the
     * background pool, whatever stores it uses, so it cannot take the connections of producers,
     * consumers and coordinators.
     */
    public <T> T asBackgroundWork(Supplier<T> work) {
        return Database.asBackgroundWork(work);
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
        bulkheads.close();
    }
}
