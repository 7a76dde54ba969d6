package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

import dev.pgkafka.adapter.kafka.listener.TlsListenerSettings;

/**
 * A connection inside TLS: the JDK's server-mode SSL socket layered over the accepted socket. Each
 * connection takes the listener's SSL context current at accept time, so reloaded certificates
 * reach new connections while open ones keep their session.
 */
final class TlsTransport implements Transport {
    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private TlsTransport(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Completes the TLS handshake within the settings' timeout.
     *
     * @throws IOException when the client is not speaking TLS, fails the handshake (e.g. without a
     *                     required certificate) or is too slow
     */
    static TlsTransport handshake(SocketChannel channel, TlsListenerSettings settings) throws IOException {
        SSLContext context = settings.context().get();
        Socket plain = channel.socket();
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true);
        ssl.setUseClientMode(false);
        SSLParameters params = ssl.getSSLParameters();
        params.setProtocols(settings.enabledProtocols().toArray(String[]::new));
        if (!settings.cipherSuites().isEmpty()) {
            params.setCipherSuites(settings.cipherSuites().toArray(String[]::new));
        }
        switch (settings.clientAuth()) {
            case REQUIRED -> params.setNeedClientAuth(true);
            case REQUESTED -> params.setWantClientAuth(true);
            case NONE -> {
                params.setNeedClientAuth(false);
                params.setWantClientAuth(false);
            }
        }
        ssl.setSSLParameters(params);
        try {
            ssl.setSoTimeout(settings.handshakeTimeoutMs());
            ssl.startHandshake();
            ssl.setSoTimeout(0);
        } catch (IOException | RuntimeException e) {
            try {
                ssl.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        return new TlsTransport(ssl);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
        if (n > 0) {
            dst.position(dst.position() + n);
        }
        return n;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            out.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
        } else {
            byte[] copy = new byte[src.remaining()];
            src.get(copy);
            out.write(copy);
        }
        out.flush();
    }

    @Override
    public Optional<X509Certificate> peerCertificate() {
        try {
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The negotiated protocol and cipher suite, for logs. */
    String describe() {
        return socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
