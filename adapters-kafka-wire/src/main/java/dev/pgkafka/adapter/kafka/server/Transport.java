package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * The bytes of one client connection, plain or inside TLS. Reads and writes may happen at the same
 * time from two threads (the connection's reader and its processor); each direction from one only.
 */
interface Transport extends AutoCloseable {

    /**
     * Reads at most {@code dst.remaining()} bytes; blocks until at least one arrived.
     *
     * @return the bytes read, or -1 at end of stream
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes all of {@code src}. */
    void write(ByteBuffer src) throws IOException;

    /** The client certificate of a mutually authenticated TLS connection. */
    default Optional<X509Certificate> peerCertificate() {
        return Optional.empty();
    }

    @Override
    void close();
}
