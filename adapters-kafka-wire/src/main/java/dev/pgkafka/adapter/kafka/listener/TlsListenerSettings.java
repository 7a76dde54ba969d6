package dev.pgkafka.adapter.kafka.listener;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

/**
 * TLS for one listener, as Kafka's {@code ssl.*} settings describe it.
 *
 * @param context          the current SSL context; asked at every new connection, so a reloaded
 *                         certificate applies to new connections while open ones keep theirs
 * @param enabledProtocols {@code ssl.enabled.protocols}
 * @param cipherSuites     {@code ssl.cipher.suites}; empty means the JDK's defaults
 * @param clientAuth       {@code ssl.client.auth}
 * @param principalName    the principal name of a client certificate's subject distinguished name
 *                         (RFC 2253), as {@code ssl.principal.mapping.rules} map it
 * @param handshakeTimeoutMs how long a client may take to finish the TLS handshake
 */
public record TlsListenerSettings(Supplier<SSLContext> context, List<String> enabledProtocols, List<String> cipherSuites,
                                  ClientAuth clientAuth, Function<String, String> principalName,
                                  int handshakeTimeoutMs) {

    /** Kafka's {@code ssl.client.auth} values. */
    public enum ClientAuth {
        NONE, REQUESTED, REQUIRED
    }

    public TlsListenerSettings {
        Objects.requireNonNull(context, "context");
        enabledProtocols = List.copyOf(enabledProtocols);
        cipherSuites = List.copyOf(cipherSuites);
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(principalName, "principalName");
    }
}
