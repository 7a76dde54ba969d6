package dev.pgkafka.domain.security.acl;

import java.util.Objects;

import dev.pgkafka.domain.error.ErrorCode;

/** Why an ACL or a filter is refused: Kafka's error and message. */
public record AclProblem(ErrorCode error, String message) {
    public AclProblem {
        Objects.requireNonNull(error, "error");
    }

    static AclProblem invalidRequest(String message) {
        return new AclProblem(ErrorCode.INVALID_REQUEST, message);
    }
}
