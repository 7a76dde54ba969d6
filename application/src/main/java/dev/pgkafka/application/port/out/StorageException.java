package dev.pgkafka.application.port.out;

/** The storage failed (connection lost, disk full, ...): nothing of the operation was stored. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
