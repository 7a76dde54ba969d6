package dev.pgkafka.adapter.kafka.record;

import dev.pgkafka.domain.error.ErrorCode;

/** A produced record batch Kafka would refuse, with the error code Kafka answers it with. */
public final class InvalidBatchException extends Exception {
    private final ErrorCode error;

    public InvalidBatchException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    public InvalidBatchException(ErrorCode error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** CORRUPT_MESSAGE, INVALID_RECORD or UNSUPPORTED_FOR_MESSAGE_FORMAT. */
    public ErrorCode error() {
        return error;
    }
}
