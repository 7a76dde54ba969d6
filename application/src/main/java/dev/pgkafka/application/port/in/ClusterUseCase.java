package dev.pgkafka.application.port.in;

/** Who this broker is within its cluster. */
public interface ClusterUseCase {
    String clusterId();

    int nodeId();
}
