package dev.pgkafka.adapter.kafka.listener;

import java.util.Objects;

/**
 * One Kafka listener: where it binds, what it tells clients, and how clients authenticate.
 *
 * @param name                          the listener name (PLAINTEXT, SASL_SSL, INTERNAL, ...); SASL
 *                                      mechanisms are looked up by it
 * @param protocol                      PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param bindHost                      address to bind; empty or 0.0.0.0 for every interface
 * @param port                          port to bind; 0 picks a free one
 * @param advertisedHost                host put in Metadata answers; clients connect there
 * @param advertisedPort                port put in Metadata answers; 0 or -1 means the bound port
 * @param maxRequestBytes               Kafka's {@code socket.request.max.bytes}: larger frames close the connection
 * @param tls                           TLS settings; required for SSL and SASL_SSL, null otherwise
 * @param maxReauthMs                   Kafka's {@code connections.max.reauth.ms}: SASL sessions last at most this
 *                                      long (0: until the credential expires)
 * @param failedAuthenticationDelayMs   Kafka's {@code connection.failed.authentication.delay.ms}: how long a
 *                                      failed login waits before its answer and the close
 */
public record KafkaListenerConfig(String name, SecurityProtocol protocol, String bindHost, int port,
                                  String advertisedHost, int advertisedPort, int maxRequestBytes,
                                  TlsListenerSettings tls, long maxReauthMs, int failedAuthenticationDelayMs) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;

    public KafkaListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        if (protocol.usesTls() && tls == null) {
            throw new IllegalArgumentException("listener " + name + " uses " + protocol + " but has no TLS settings");
        }
    }

    /** A PLAINTEXT listener named PLAINTEXT. */
    public KafkaListenerConfig(String bindHost, int port, String advertisedHost, int advertisedPort, int maxRequestBytes) {
        this("PLAINTEXT", SecurityProtocol.PLAINTEXT, bindHost, port, advertisedHost, advertisedPort, maxRequestBytes,
                null, 0, 100);
    }
}
