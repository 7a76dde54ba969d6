package dev.pgkafka.bootstrap.tls;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import dev.pgkafka.bootstrap.config.ConfigException;

/**
 * An SSL context that follows its files: every check interval the keystore and truststore files are
 * hashed, and when they changed the context is built again. New connections get the new context;
 * open ones keep the session they negotiated (Kafka needs an AlterConfigs call for this). A change
 * that does not build (a half-written file, a wrong password) keeps the last good context and is
 * logged, and is retried at the next check.
 */
public final class ReloadingSslContext implements Supplier<SSLContext>, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReloadingSslContext.class.getName());
    /** Certificates that expire sooner than this are worth a warning at start and at reload. */
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private final String name;
    private final TlsConfig config;
    private final List<Path> files;
    private final List<Consumer<SSLContext>> onReload = new ArrayList<>();
    private volatile SSLContext current;
    private volatile String fingerprint;
    private final Thread watcher;
    private volatile boolean closed;

    private ReloadingSslContext(String name, TlsConfig config, SslContexts.Built first, Duration checkInterval) {
        this.name = name;
        this.config = config;
        this.files = config.watchedFiles();
        this.current = first.context();
        this.fingerprint = fingerprint(files);
        describe("serves", first.certificate());
        this.watcher = files.isEmpty() || checkInterval.isZero() ? null
                : Thread.ofVirtual().name("tls-reload-" + name).start(() -> watch(checkInterval));
    }

    /**
     * Builds the context now (so a bad configuration stops the start) and watches its files.
     *
     * @param name          what the context is for, in logs ("listener SASL_SSL", "HTTP admin API")
     * @param checkInterval how often the files are checked; zero for never
     * @throws ConfigException when the context cannot be built
     */
    public static ReloadingSslContext start(String name, TlsConfig config, Duration checkInterval) {
        return new ReloadingSslContext(name, config, SslContexts.build(config), checkInterval);
    }

    @Override
    public SSLContext get() {
        return current;
    }

    /** Runs {@code listener} with each new context (e.g. to hand it to a server that keeps its own). */
    public void onReload(Consumer<SSLContext> listener) {
        onReload.add(listener);
    }

    /** Checks the files once; true when a new context was built. Tests call it instead of waiting. */
    public synchronized boolean checkNow() {
        String now = fingerprint(files);
        if (now.equals(fingerprint)) {
            return false;
        }
        try {
            SslContexts.Built built = SslContexts.build(config);
            current = built.context();
            fingerprint = now;
            describe("reloaded its certificates and now serves", built.certificate());
            for (Consumer<SSLContext> listener : onReload) {
                listener.accept(built.context());
            }
            return true;
        } catch (ConfigException e) {
            // keep serving the last good context; the files may be half written
            LOG.log(Level.ERROR, "TLS files of " + name + " changed but cannot be used; keeping the previous "
                    + "certificates: " + e.getMessage());
            return false;
        }
    }

    private void watch(Duration interval) {
        while (!closed) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            checkNow();
        }
    }

    private void describe(String verb, Optional<X509Certificate> certificate) {
        if (certificate.isEmpty()) {
            LOG.log(Level.INFO, "TLS for {0} {1} a certificate", name, verb);
            return;
        }
        X509Certificate c = certificate.get();
        Instant notAfter = c.getNotAfter().toInstant();
        LOG.log(Level.INFO, "TLS for {0} {1} {2} (issued by {3}, valid until {4})", name, verb,
                c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(), notAfter);
        if (notAfter.isBefore(Instant.now().plus(EXPIRY_WARNING))) {
            LOG.log(Level.WARNING, "the TLS certificate of {0} expires at {1}", name, notAfter);
        }
    }

    /** A hash over the files' contents (absent files hash as absent, so their return is noticed). */
    private static String fingerprint(List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                digest.update(f.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try {
                    digest.update(Files.readAllBytes(f));
                } catch (IOException e) {
                    digest.update((byte) 0);
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
