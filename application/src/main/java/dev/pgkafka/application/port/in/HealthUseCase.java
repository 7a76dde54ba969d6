package dev.pgkafka.application.port.in;

/** Is the broker alive and is its storage ready? */
public interface HealthUseCase {

    Health check();

    /**
     * @param storageReady     whether a storage round trip just succeeded
     * @param storageLatencyMs how long that round trip took, or -1
     */
    record Health(boolean storageReady, String storage, long storageLatencyMs, String problem) {
    }
}
