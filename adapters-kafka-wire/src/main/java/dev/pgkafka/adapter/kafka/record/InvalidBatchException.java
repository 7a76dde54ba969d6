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

    /**
     * CORRUPT_MESSAGE, INVALID_RECORD, or MESSAGE_TOO_LARGE for a compressed batch that inflates beyond
     * the decoder's bound; see {@link RecordBatchDecoder} for which input gets which.
     */
    public ErrorCode error() {
        return error;
    }
}
