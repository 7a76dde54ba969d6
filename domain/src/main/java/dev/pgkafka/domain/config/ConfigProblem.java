package dev.pgkafka.domain.config;

import dev.pgkafka.domain.error.ErrorCode;

/** Why a config change is refused: Kafka's error and message. */
public record ConfigProblem(ErrorCode error, String message) {
    public static ConfigProblem invalidConfig(String message) {
        return new ConfigProblem(ErrorCode.INVALID_CONFIG, message);
    }

    public static ConfigProblem invalidRequest(String message) {
        return new ConfigProblem(ErrorCode.INVALID_REQUEST, message);
    }
}
