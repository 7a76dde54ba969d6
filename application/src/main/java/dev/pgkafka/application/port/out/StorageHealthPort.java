package dev.pgkafka.application.port.out;

/** Whether the storage answers right now. */
public interface StorageHealthPort {
    /**
     * Makes a round trip to the storage.
     *
     * @throws RuntimeException when the storage does not answer
     */
    void ping();

    /** A short description of the storage for logs and health output, without credentials. */
    String describe();

    /**
     * The outage the adapter is aware of (from the failures of recent calls), without a round trip:
     * a storage whose writes fail (disk full) still answers a {@link #ping()}, and a storage that
     * hangs should not make the readiness probe hang too. Adapters that cannot tell answer healthy.
     */
    default StorageStatus status() {
        return StorageStatus.HEALTHY;
    }
}
