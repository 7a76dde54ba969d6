package dev.pgkafka.adapter.kafka.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;

class ErrorCodesTest {
    @Test
    void everyDomainErrorIsAKafkaErrorOfTheSameName() {
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(code.name(), ErrorCodes.toKafka(code).name());
        }
        assertEquals(0, ErrorCodes.code(ErrorCode.NONE));
        assertEquals(2, ErrorCodes.code(ErrorCode.CORRUPT_MESSAGE));
        assertEquals(45, ErrorCodes.code(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER));
    }
}
