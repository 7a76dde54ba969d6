package dev.pgkafka.application.port.out;

import java.util.Optional;

/**
 * What the storage adapter knows of its storage without asking it again: whether an outage is going
 * on (the server does not answer, or writes fail), since when and why. The reason is text for people
 * (logs, the readiness probe) and never holds a secret.
 *
 * @param problem    the outage's reason, when one is going on
 * @param sinceMillis when it started (epoch milliseconds), or -1
 */
public record StorageStatus(Optional<Problem> problem, long sinceMillis) {

    /** An outage: what kind, and the storage's own words for it. */
    public record Problem(StorageUnavailableException.Reason reason, String detail) {
    }

    public static final StorageStatus HEALTHY = new StorageStatus(Optional.empty(), -1L);

    public static StorageStatus failing(StorageUnavailableException.Reason reason, String detail, long sinceMillis) {
        return new StorageStatus(Optional.of(new Problem(reason, detail)), sinceMillis);
    }

    public boolean healthy() {
        return problem.isEmpty();
    }
}
