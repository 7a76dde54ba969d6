package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;

import dev.pgkafka.application.port.out.StorageUnavailableException;

/**
 * How services log a storage failure they answer or retry. An outage (the storage is down, restarting,
 * out of disk space) is reported by the storage adapter once when it starts, once a minute while it
 * lasts and once when it ends; logging it again for every request it fails would bury that report
 * under thousands of lines. Any other storage failure is unexpected and logged as a warning.
 */
public final class StorageFailures {
    private StorageFailures() {
    }

    /** DEBUG for an outage the adapter reports itself, WARNING for anything else. */
    public static Level level(Throwable failure) {
        return isOutage(failure) ? Level.DEBUG : Level.WARNING;
    }

    /**
     * Logs a failure that the caller survives (a background pass retries, a request is answered with
     * an error): during an outage at DEBUG without a stack trace, else as a warning with one.
     */
    public static void log(System.Logger log, String what, Throwable failure) {
        if (isOutage(failure)) {
            log.log(Level.DEBUG, what + ": " + failure.getMessage());
        } else {
            log.log(Level.WARNING, what + ": " + failure, failure);
        }
    }

    /** Whether the failure is a storage outage (retriable, reported by the adapter). */
    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
