package dev.pgkafka.domain.group;

import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;

/** The answer to a LeaveGroup: a group-level error, and one error per member in the request's order. */
public record LeaveResult(ErrorCode error, List<ErrorCode> memberErrors) {
    public LeaveResult {
        memberErrors = List.copyOf(memberErrors);
    }
}
