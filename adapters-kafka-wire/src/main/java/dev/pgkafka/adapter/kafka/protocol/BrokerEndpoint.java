package dev.pgkafka.adapter.kafka.protocol;

/** The host and port clients are told to connect to (the advertised listener). */
public record BrokerEndpoint(int nodeId, String host, int port) {
}
