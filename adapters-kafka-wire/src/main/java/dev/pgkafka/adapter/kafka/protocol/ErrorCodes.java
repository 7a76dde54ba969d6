package dev.pgkafka.adapter.kafka.protocol;

import java.util.EnumMap;
import java.util.Map;

import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.domain.error.ErrorCode;

/** The domain's error names are Kafka's; this maps them to Kafka's numeric codes. */
public final class ErrorCodes {
    private static final Map<ErrorCode, Errors> MAP = new EnumMap<>(ErrorCode.class);

    static {
        for (ErrorCode code : ErrorCode.values()) {
            MAP.put(code, Errors.valueOf(code.name()));
        }
    }

    private ErrorCodes() {
    }

    public static Errors toKafka(ErrorCode code) {
        return MAP.get(code);
    }

    public static short code(ErrorCode code) {
        return MAP.get(code).code();
    }
}
