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
}
