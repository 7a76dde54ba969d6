package dev.pgkafka.domain.txn;

import java.util.Objects;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * What a request does to a transactional id: the state to persist and the error to answer.
 * {@code next} is the unchanged metadata when nothing changes (a retry) and null when the request is
 * refused; {@code error} is NONE when it is accepted.
 */
public record Transition(ErrorCode error, TransactionMetadata next, boolean changed) {
    public Transition {
        Objects.requireNonNull(error);
        if ((error == ErrorCode.NONE) != (next != null)) {
            throw new IllegalArgumentException("an accepted transition has a next state, a refused one none");
        }
    }

    public static Transition to(TransactionMetadata next) {
        return new Transition(ErrorCode.NONE, next, true);
    }

    public static Transition unchanged(TransactionMetadata current) {
        return new Transition(ErrorCode.NONE, current, false);
    }

    public static Transition refused(ErrorCode error) {
        return new Transition(error, null, false);
    }

    public boolean accepted() {
        return error == ErrorCode.NONE;
    }
}
