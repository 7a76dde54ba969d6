package dev.pgkafka.adapter.postgres.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that the fault tests own and may break: stop it (fast or immediate), restart it,
 * kill its backends, give it a tablespace on a small file system. Never the shared server other tests
 * use. Made with the server binaries installed on the machine (Debian's {@code postgresql-15} puts
 * them in {@code /usr/lib/postgresql/15/bin}; {@code PGKAFKA_TEST_PG_BINDIR} names another directory):
 * {@code initdb} into a temporary directory, a free port on 127.0.0.1, a generated password. As root
 * the server runs as user {@code postgres} (PostgreSQL refuses to run as root).
 *
 * <p>One server per JVM ({@link #shared()}), stopped and deleted when the JVM exits; each test class
 * makes its own database and leaves the server running.
 */
public final class OwnedPostgres implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OwnedPostgres.class.getName());
    public static final String BINDIR_ENV = "PGKAFKA_TEST_PG_BINDIR";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);

    /** How PostgreSQL stops: {@code fast} ends sessions with an error, {@code immediate} drops them (crash recovery). */
    public enum Shutdown {
        FAST, IMMEDIATE;

        String mode() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Path bin;
    private final Path base;
    private final Path data;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private final List<Path> mounts = new ArrayList<>();

    private OwnedPostgres(Path bin, Path base, int port, String password, boolean asPostgresUser) {
        this.bin = bin;
        this.base = base;
        this.data = base.resolve("data");
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
    }

    /** Why no server can be made here, or empty when one can. */
    public static Optional<String> unavailableReason() {
        if (binaries().isEmpty()) {
            return Optional.of("no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or " + BINDIR_ENV);
        }
        if (isRoot() && !userExists("postgres")) {
            return Optional.of("running as root, and there is no user postgres to run PostgreSQL as");
        }
        return Optional.empty();
    }

    /** The server of this JVM, made and started at first use. */
    public static OwnedPostgres shared() {
        return Holder.SERVER;
    }

    private static final class Holder {
        static final OwnedPostgres SERVER = create();
    }

    private static OwnedPostgres create() {
        Optional<String> why = unavailableReason();
        if (why.isPresent()) {
            throw new IllegalStateException("cannot run a PostgreSQL of our own: " + why.get());
        }
        try {
            Path base = Files.createTempDirectory("pgkafka-owned-pg-");
            OwnedPostgres pg = new OwnedPostgres(binaries().get(), base, freePort(),
                    HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()), isRoot());
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "stop owned PostgreSQL"));
            pg.initialise();
            pg.start();
            LOG.log(Level.INFO, "owned PostgreSQL on port {0,number,#} in {1}", pg.port, base);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void initialise() throws IOException {
        Files.createDirectories(base.resolve("sock"));
        Path pwfile = base.resolve("pwfile");
        Files.writeString(pwfile, password + "\n");
        if (asPostgresUser) {
            run(List.of("chown", "-R", "postgres:postgres", base.toString()));
        }
        postgres(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-E", "UTF8",
                "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "--no-sync"));
        String conf = """

                # pgkafka fault tests
                port = %d
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '%s'
                max_connections = 100
                shared_buffers = 32MB
                fsync = on
                synchronous_commit = on
                """.formatted(port, base.resolve("sock"));
        Path postgresqlConf = data.resolve("postgresql.conf");
        postgres(List.of("sh", "-c", "cat >> '" + postgresqlConf + "'"), conf);
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of a database on this server, as user postgres with its password. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres&password=" + password;
    }

    /** Makes a new database with a random name. */
    public String createDatabase() {
        String name = "pgkafka_fault_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        execute("postgres", "CREATE DATABASE " + name);
        return name;
    }

    /** Runs statements as the superuser in a database (test-made SQL only). */
    public void execute(String database, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), new Properties());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
        }
    }

    /** Starts the server and waits until it accepts connections. */
    public void start() {
        postgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", base.resolve("postgres.log").toString(),
                "-w", "-t", "60", "start"));
    }

    /** Stops the server the given way and waits until it is down. */
    public void stop(Shutdown how) {
        postgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", how.mode(), "-w", "-t", "60",
                "stop"));
    }

    /** Whether the server runs. */
    public boolean isRunning() {
        try {
            postgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "status"));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** Starts the server when it is not running: a test that stopped it and failed leaves it usable. */
    public void ensureRunning() {
        if (!isRunning()) {
            start();
        }
    }

    /** The server's own log (its FATAL and PANIC lines are there). */
    public String serverLog() {
        try {
            return Files.readString(base.resolve("postgres.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------ a small file system

    /** Whether a tmpfs can be mounted here (root with CAP_SYS_ADMIN; a container may lack it). */
    public boolean canMountTmpfs() {
        if (!isRoot()) {
            return false;
        }
        Path probe = base.resolve("mount-probe");
        try {
            Files.createDirectories(probe);
            run(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString()));
            run(List.of("umount", probe.toString()));
            return true;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    /** Mounts a tmpfs of this size, owned by the server's user, for a tablespace; unmounted at close. */
    public Path mountTmpfs(String name, int megabytes) {
        Path dir = base.resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String owner = asPostgresUser ? ",uid=" + output(List.of("id", "-u", "postgres")).trim() + ",gid="
                + output(List.of("id", "-g", "postgres")).trim() : "";
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700" + owner, "tmpfs", dir.toString()));
        mounts.add(dir);
        return dir;
    }

    /** Unmounts a tmpfs mounted with {@link #mountTmpfs} (its tablespace must be dropped first). */
    public void unmount(Path dir) {
        run(List.of("umount", dir.toString()));
        mounts.remove(dir);
    }

    /** Gives a mounted tmpfs another size (space returns, or goes). */
    public void resizeTmpfs(Path dir, int megabytes) {
        run(List.of("mount", "-o", "remount,size=" + megabytes + "m", dir.toString()));
    }

    @Override
    public void close() {
        try {
            if (isRunning()) {
                stop(Shutdown.IMMEDIATE);
            }
        } catch (RuntimeException ignored) {
            // going away anyway
        }
        for (Path m : mounts) {
            try {
                run(List.of("umount", "-l", m.toString()));
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        mounts.clear();
        try (Stream<Path> paths = Files.walk(base)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a temp directory left behind is not worth failing a shutdown for
        }
    }

    // ------------------------------------------------------------------ processes

    private void postgres(List<String> command) {
        postgres(command, null);
    }

    /** Runs a command as the server's user (postgres when we are root). */
    private void postgres(List<String> command, String stdin) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        exec(full, stdin);
    }

    private static void run(List<String> command) {
        exec(command, null);
    }

    private static String output(List<String> command) {
        return exec(command, null);
    }

    private static String exec(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Optional<Path> binaries() {
        String env = System.getenv(BINDIR_ENV);
        if (env != null && !env.isBlank()) {
            Path dir = Path.of(env);
            return Files.isExecutable(dir.resolve("pg_ctl")) ? Optional.of(dir) : Optional.empty();
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(OwnedPostgres::majorVersion));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean userExists(String user) {
        try {
            exec(List.of("id", "-u", user), null);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
