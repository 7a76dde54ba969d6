package dev.pgkafka.domain.quota;

import java.util.Objects;

import dev.pgkafka.domain.error.ErrorCode;

/** Why a quota alteration or a describe filter is refused: Kafka's error and message. */
public record QuotaProblem(ErrorCode error, String message) {
    public QuotaProblem {
        Objects.requireNonNull(error, "error");
    }

    static QuotaProblem invalidRequest(String message) {
        return new QuotaProblem(ErrorCode.INVALID_REQUEST, message);
    }
}
