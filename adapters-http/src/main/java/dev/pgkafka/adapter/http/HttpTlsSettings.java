package dev.pgkafka.adapter.http;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

/**
 * HTTPS for the admin listener, as Kafka's {@code ssl.*} settings describe TLS (the bootstrap reads
 * them under {@code pgkafka.http.ssl.*}). With these settings the port speaks HTTPS only.
 *
 * @param context          the SSL context; asked at every accepted connection, so a context that
 *                         follows its files (the bootstrap's reloading context) serves renewed
 *                         certificates to new connections while open ones keep theirs
 * @param enabledProtocols {@code ssl.enabled.protocols}; empty means the context's defaults
 * @param cipherSuites     {@code ssl.cipher.suites}; empty means the context's defaults
 * @param clientAuth       {@code ssl.client.auth}
 */
public record HttpTlsSettings(Supplier<SSLContext> context, List<String> enabledProtocols, List<String> cipherSuites,
                              ClientAuth clientAuth) {

    /** Kafka's {@code ssl.client.auth} values. */
    public enum ClientAuth {
        NONE, REQUESTED, REQUIRED
    }

    public HttpTlsSettings {
        Objects.requireNonNull(context, "context");
        enabledProtocols = List.copyOf(enabledProtocols);
        cipherSuites = List.copyOf(cipherSuites);
        Objects.requireNonNull(clientAuth, "clientAuth");
    }

    /** A fixed context with its default protocols and cipher suites, no client certificates. */
    public static HttpTlsSettings of(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return new HttpTlsSettings(() -> context, List.of(), List.of(), ClientAuth.NONE);
    }
}
