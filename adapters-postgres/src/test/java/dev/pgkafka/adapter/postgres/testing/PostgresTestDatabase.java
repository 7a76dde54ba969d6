package dev.pgkafka.adapter.postgres.testing;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.pgkafka.adapter.postgres.EmbeddedDatabase;

/**
 * A fresh PostgreSQL database for each test class, dropped after it. Shipped in the test-jar for
 * the end-to-end tests of other modules (Testcontainers is optional on their class path):
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresTestDatabase DB = new PostgresTestDatabase();
 * ... PostgresStorage.open(DB.jdbcUrl(), 4) ...
 * }</pre>
 *
 * The server is picked once per JVM, first match wins:
 * <ol>
 *   <li>env {@code PGKAFKA_TEST_DATABASE_URL}: a JDBC URL of a server where the user may create databases;</li>
 *   <li>Testcontainers ({@code postgres:15-alpine}) when Docker is available and Testcontainers is on the class path;</li>
 *   <li>a server at {@code 127.0.0.1:5432}, user {@code postgres}, when one answers and lets us create databases;</li>
 *   <li>an embedded PostgreSQL (zonky) in a temporary directory, stopped when the JVM exits.</li>
 * </ol>
 * The choice is logged. {@link #server()} gives the server to code outside JUnit extensions.
 */
public final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback {
    private static final System.Logger LOG = System.getLogger(PostgresTestDatabase.class.getName());
    public static final String URL_ENV = "PGKAFKA_TEST_DATABASE_URL";
    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&connectTimeout=2";
    private static final Pattern JDBC_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");

    private String database;
    private String jdbcUrl;

    /** Creates the class's database. */
    @Override
    public void beforeAll(ExtensionContext context) {
        database = server().createDatabase();
        jdbcUrl = server().urlOf(database);
        LOG.log(Level.INFO, "{0}: database {1} on {2}", context.getDisplayName(), database, server().description());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (database != null) {
            server().dropDatabase(database);
            database = null;
        }
    }

    /** The JDBC URL of this class's database (with credentials as URL parameters). */
    public String jdbcUrl() {
        if (jdbcUrl == null) {
            throw new IllegalStateException("register the extension with @RegisterExtension on a static field");
        }
        return jdbcUrl;
    }

    public String databaseName() {
        return database;
    }

    /** The server the tests of this JVM use. */
    public static Server server() {
        return Holder.SERVER;
    }

    private static final class Holder {
        static final Server SERVER = pick();
    }

    /** A PostgreSQL server on which tests create and drop their databases. */
    public record Server(String adminUrl, String description) {

        /** A new, empty database with a random name; the caller drops it. */
        public String createDatabase() {
            String name = "pgkafka_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
            // a database name cannot be a bind value; this one is ours, made of [a-z0-9_]
            execute("CREATE DATABASE " + name);
            return name;
        }

        public void dropDatabase(String name) {
            if (!name.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("not a test database: " + name);
            }
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }

        /** The URL of another database on this server. */
        public String urlOf(String database) {
            Matcher m = JDBC_URL.matcher(adminUrl);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a jdbc:postgresql://host/database URL: " + redacted(adminUrl));
            }
            return m.group(1) + database + (m.group(3) == null ? "" : m.group(3));
        }

        private void execute(String sql) {
            try (Connection c = DriverManager.getConnection(adminUrl, new Properties());
                 Statement s = c.createStatement()) {
                s.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed on " + description + ": " + e.getMessage(), e);
            }
        }
    }

    private static Server pick() {
        String env = System.getenv(URL_ENV);
        if (env != null && !env.isBlank()) {
            return chosen(new Server(env, "the server in " + URL_ENV + " (" + redacted(env) + ")"));
        }
        Server docker = Testcontainers.startIfDockerAvailable();
        if (docker != null) {
            return chosen(docker);
        }
        if (canCreateDatabases(LOCAL_URL)) {
            return chosen(new Server(LOCAL_URL, "the local server at 127.0.0.1:5432"));
        }
        return chosen(embedded());
    }

    private static Server chosen(Server server) {
        LOG.log(Level.INFO, "test databases live on {0}", server.description());
        return server;
    }

    private static boolean canCreateDatabases(String url) {
        try (Connection c = DriverManager.getConnection(url, new Properties());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user")) {
            return rs.next() && rs.getBoolean(1);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Server embedded() {
        try {
            Path dir = Files.createTempDirectory("pgkafka-test-pg");
            EmbeddedDatabase db = EmbeddedDatabase.start(dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                db.close();
                deleteQuietly(dir);
            }, "stop embedded PostgreSQL"));
            return new Server(db.jdbcUrl(), "an embedded PostgreSQL on port " + db.port());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException ignored) {
            // a temp directory left behind is not worth failing a shutdown for
        }
    }

    static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** Kept apart so the fixture works without Testcontainers on the class path. */
    private static final class Testcontainers {
        static Server startIfDockerAvailable() {
            try {
                Class.forName("org.testcontainers.DockerClientFactory");
            } catch (ClassNotFoundException e) {
                return null;
            }
            return Docker.start();
        }
    }

    private static final class Docker {
        static Server start() {
            if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
                return null;
            }
            @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
            org.testcontainers.postgresql.PostgreSQLContainer container =
                    new org.testcontainers.postgresql.PostgreSQLContainer("postgres:15-alpine");
            container.start();
            String url = container.getJdbcUrl();
            url += (url.contains("?") ? "&" : "?") + "user=" + container.getUsername() + "&password=" + container.getPassword();
            return new Server(url, "a Testcontainers PostgreSQL (" + container.getDockerImageName() + ")");
        }
    }
}
