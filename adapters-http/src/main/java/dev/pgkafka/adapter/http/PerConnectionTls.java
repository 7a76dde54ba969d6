package dev.pgkafka.adapter.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;

/**
 * TLS for the admin listener that takes the SSL context current when each connection is accepted.
 *
 * <p>Helidon 4.2 makes its TLS server socket from one SSL context for the life of the listener, and
 * {@code WebServer.reloadTls} only swaps key managers Helidon built itself: on a listener whose
 * {@code Tls} was made from an explicit SSL context it throws a NullPointerException and the old
 * certificate stays. So Helidon is given a context of ours whose server socket
 * accepts plain TCP connections and layers TLS on each with the context of the moment. New
 * connections see reloaded certificates; open ones keep the session they negotiated.
 */
final class PerConnectionTls {
    private static final System.Logger LOG = System.getLogger(PerConnectionTls.class.getName());

    private volatile Supplier<SSLContext> source;

    PerConnectionTls(Supplier<SSLContext> source) {
        this.source = Objects.requireNonNull(source, "source");
        current(); // a missing context fails the start, not the first connection
    }

    /** From now on, new connections use {@code context}. */
    void reload(SSLContext context) {
        Objects.requireNonNull(context, "context");
        source = () -> context;
    }

    private SSLContext current() {
        SSLContext context = source.get();
        if (context == null) {
            throw new IllegalStateException("the HTTPS settings supplied no SSL context");
        }
        return context;
    }

    /** Helidon's TLS settings for the listener, with the protocols, cipher suites and client auth asked for. */
    Tls helidonTls(HttpTlsSettings settings) {
        SSLContext first = current();
        return Tls.builder()
                .sslContext(new Switching(new Spi(), first))
                .enabledProtocols(settings.enabledProtocols())
                .enabledCipherSuites(settings.cipherSuites())
                .clientAuth(switch (settings.clientAuth()) {
                    case NONE -> TlsClientAuth.NONE;
                    case REQUESTED -> TlsClientAuth.OPTIONAL;
                    case REQUIRED -> TlsClientAuth.REQUIRED;
                })
                // host name checks are for clients checking servers; a server has no name to match a client against
                .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE)
                .build();
    }

    /** SSLContext's constructor is protected; this is the one way to hand out an SSLContext of our own. */
    private static final class Switching extends SSLContext {
        Switching(SSLContextSpi spi, SSLContext first) {
            super(spi, first.getProvider(), first.getProtocol());
        }
    }

    /** Everything but the server socket answers from the current context. */
    private final class Spi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("this context follows the contexts it is given");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return current().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new LayeringServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return current().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return current().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return current().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return current().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return current().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return current().getSupportedSSLParameters();
        }
    }

    private final class LayeringServerSocketFactory extends SSLServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new LayeringServerSocket();
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return createServerSocket(port, 50, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return createServerSocket(port, backlog, null);
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            ServerSocket socket = new LayeringServerSocket();
            socket.bind(new java.net.InetSocketAddress(address, port), backlog);
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return current().getDefaultSSLParameters().getCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return current().getSupportedSSLParameters().getCipherSuites();
        }
    }

    /**
     * A TCP server socket whose accepted connections come back as server-mode TLS sockets over the
     * current context, configured with the parameters Helidon set on the server socket. The handshake
     * happens later, on the connection's own thread, so a slow client cannot stall accepting.
     */
    private final class LayeringServerSocket extends SSLServerSocket {
        /** Mutable, as SSLServerSocket's setters require; applied to each accepted connection. */
        private volatile SSLParameters parameters;

        LayeringServerSocket() throws IOException {
            parameters = current().getDefaultSSLParameters();
        }

        @Override
        public Socket accept() throws IOException {
            while (true) {
                Socket plain = super.accept();
                try {
                    SSLSocket tls = (SSLSocket) current().getSocketFactory().createSocket(plain, null, true);
                    tls.setSSLParameters(parameters);
                    return tls;
                } catch (IOException | RuntimeException e) {
                    // one connection we cannot serve must not end the listener (Helidon stops on accept failures)
                    LOG.log(Level.WARNING, "HTTPS connection from " + plain.getInetAddress().getHostAddress()
                            + " closed: TLS could not be set up: " + e);
                    try {
                        plain.close();
                    } catch (IOException ignored) {
                        // already failing; nothing more to release
                    }
                }
            }
        }

        @Override
        public void setSSLParameters(SSLParameters params) {
            parameters = params;
        }

        @Override
        public SSLParameters getSSLParameters() {
            return parameters;
        }

        @Override
        public String[] getEnabledCipherSuites() {
            String[] suites = parameters.getCipherSuites();
            return suites != null ? suites : current().getDefaultSSLParameters().getCipherSuites();
        }

        @Override
        public void setEnabledCipherSuites(String[] suites) {
            parameters.setCipherSuites(suites);
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return current().getSupportedSSLParameters().getCipherSuites();
        }

        @Override
        public String[] getSupportedProtocols() {
            return current().getSupportedSSLParameters().getProtocols();
        }

        @Override
        public String[] getEnabledProtocols() {
            String[] protocols = parameters.getProtocols();
            return protocols != null ? protocols : current().getDefaultSSLParameters().getProtocols();
        }

        @Override
        public void setEnabledProtocols(String[] protocols) {
            parameters.setProtocols(protocols);
        }

        @Override
        public void setNeedClientAuth(boolean need) {
            parameters.setNeedClientAuth(need);
        }

        @Override
        public boolean getNeedClientAuth() {
            return parameters.getNeedClientAuth();
        }

        @Override
        public void setWantClientAuth(boolean want) {
            parameters.setWantClientAuth(want);
        }

        @Override
        public boolean getWantClientAuth() {
            return parameters.getWantClientAuth();
        }

        @Override
        public void setUseClientMode(boolean clientMode) {
            if (clientMode) {
                throw new IllegalArgumentException("the admin listener only accepts connections");
            }
        }

        @Override
        public boolean getUseClientMode() {
            return false;
        }

        @Override
        public void setEnableSessionCreation(boolean enable) {
            if (!enable) {
                throw new IllegalArgumentException("the admin listener needs new TLS sessions");
            }
        }

        @Override
        public boolean getEnableSessionCreation() {
            return true;
        }
    }
}
