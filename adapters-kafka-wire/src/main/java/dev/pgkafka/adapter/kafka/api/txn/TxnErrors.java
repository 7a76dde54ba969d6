package dev.pgkafka.adapter.kafka.api.txn;

import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.domain.error.ErrorCode;

/**
 * PRODUCER_FENCED exists from the request versions KIP-588 added; older versions get
 * INVALID_PRODUCER_EPOCH for the same condition, as Kafka answers them.
 */
final class TxnErrors {
    private TxnErrors() {
    }

    static short code(ErrorCode error, short version, short fencedFromVersion) {
        if (error == ErrorCode.PRODUCER_FENCED && version < fencedFromVersion) {
            return ErrorCodes.code(ErrorCode.INVALID_PRODUCER_EPOCH);
        }
        return ErrorCodes.code(error);
    }
}
