package dev.pgkafka.adapter.kafka;

/**
 * Where the Kafka listener binds and what it tells clients.
 *
 * @param bindHost        address to bind, e.g. 0.0.0.0
 * @param port            port to bind; 0 picks a free one
 * @param advertisedHost  host put in Metadata answers; clients connect there
 * @param advertisedPort  port put in Metadata answers; -1 means the bound port
 * @param maxRequestBytes Kafka's {@code socket.request.max.bytes}: larger frames close the connection
 */
public record KafkaListenerConfig(String bindHost, int port, String advertisedHost, int advertisedPort,
                                  int maxRequestBytes) {
    public static final int DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
}
