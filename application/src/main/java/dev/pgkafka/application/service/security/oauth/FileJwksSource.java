package dev.pgkafka.application.service.security.oauth;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import dev.pgkafka.domain.security.oauth.JsonWebKeySet;

/**
 * A JWKS in a file ({@code sasl.oauthbearer.jwks.endpoint.url=file:/...}), read again when it changes.
 *
 * <p>Kafka reads the file once; here the file's modification time, size and identity (so a
 * Kubernetes-style symlink swap counts) are looked at when keys are asked for, at most once per
 * {@value #CHECK_INTERVAL_MS} ms, and at once when a token names a key id the set lacks. A changed
 * file that cannot be read or parsed is logged and the last good set stays in force. No thread.
 */
public final class FileJwksSource implements JwksSource {
    private static final System.Logger LOG = System.getLogger(FileJwksSource.class.getName());
    static final long CHECK_INTERVAL_MS = 1000;

    private final Path path;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile JsonWebKeySet keys;
    private volatile long lastCheckMs;
    private FileStamp stamp;

    /**
     * Reads the file.
     *
     * @throws JwksUnavailableException when it does not exist, is not a readable file, or is not a JWKS
     */
    public FileJwksSource(Path path, Clock clock) {
        this.path = Objects.requireNonNull(path, "path").toAbsolutePath();
        this.clock = Objects.requireNonNull(clock, "clock");
        String option = OAuthBearerSettings.JWKS_ENDPOINT_URL;
        if (!Files.exists(this.path)) {
            throw new JwksUnavailableException("The OAuth configuration option " + option + " contains a file ("
                    + this.path + ") that doesn't exist", null);
        }
        if (Files.isDirectory(this.path)) {
            throw new JwksUnavailableException("The OAuth configuration option " + option + " references a directory ("
                    + this.path + "), not a file", null);
        }
        if (!Files.isReadable(this.path)) {
            throw new JwksUnavailableException("The OAuth configuration option " + option + " contains a file ("
                    + this.path + ") that doesn't have read permission", null);
        }
        try {
            this.stamp = FileStamp.of(this.path);
            this.keys = read(this.path);
        } catch (IOException | IllegalArgumentException e) {
            throw new JwksUnavailableException("Could not read the JWKS from " + this.path + ": " + e.getMessage(), e);
        }
        this.lastCheckMs = clock.millis();
        logLoaded(keys);
    }

    @Override
    public JsonWebKeySet keys() {
        long now = clock.millis();
        if (now - lastCheckMs >= CHECK_INTERVAL_MS) {
            reloadIfChanged(now);
        }
        return keys;
    }

    @Override
    public Optional<JsonWebKeySet> refreshForUnknownKey(String keyId) {
        JsonWebKeySet before = keys;
        JsonWebKeySet after = reloadIfChanged(clock.millis());
        return after == before ? Optional.empty() : Optional.of(after);
    }

    private JsonWebKeySet reloadIfChanged(long now) {
        lock.lock();
        try {
            lastCheckMs = now;
            FileStamp current;
            try {
                current = FileStamp.of(path);
            } catch (IOException e) {
                if (stamp != null) {
                    LOG.log(Level.WARNING, "Cannot look at the JWKS file {0} ({1}); keeping the keys read before",
                            path, e.toString());
                    stamp = null;
                }
                return keys;
            }
            if (current.equals(stamp)) {
                return keys;
            }
            stamp = current; // a broken file is reported once, not every second
            try {
                keys = read(path);
                logLoaded(keys);
            } catch (IOException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "The JWKS file {0} changed but cannot be used ({1}); keeping the keys read before",
                        path, e.getMessage());
            }
            return keys;
        } finally {
            lock.unlock();
        }
    }

    private void logLoaded(JsonWebKeySet set) {
        LOG.log(Level.INFO, "Read {0} JWKS key(s) from {1}", set.keys().size(), path);
        for (String why : set.skipped()) {
            LOG.log(Level.INFO, "JWKS {0}: {1}", path, why);
        }
    }

    /** Reads at most the JWKS size limit, as strict UTF-8. */
    static JsonWebKeySet read(Path path) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(JsonWebKeySet.MAX_DOCUMENT_LENGTH + 1);
        }
        if (bytes.length > JsonWebKeySet.MAX_DOCUMENT_LENGTH) {
            throw new IOException("the file is larger than " + JsonWebKeySet.MAX_DOCUMENT_LENGTH + " bytes");
        }
        return JsonWebKeySet.parse(utf8(bytes));
    }

    static String utf8(byte[] bytes) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("the JWKS is not valid UTF-8", e);
        }
    }

    @Override
    public String location() {
        return path.toUri().toString();
    }

    @Override
    public void close() {
        // nothing runs in the background
    }

    /** What tells a changed file: its modification time, size and identity (inode), following symlinks. */
    private record FileStamp(long modifiedMs, long size, Object fileKey) {
        static FileStamp of(Path path) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime().toMillis(), attributes.size(), attributes.fileKey());
        }
    }
}
