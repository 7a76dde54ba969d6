package dev.pgkafka.application.port.out;

/**
 * The storage cannot do this right now, for a reason that passes by itself or by an operator's
 * hand (the server is down, restarting, unreachable, out of disk space, read-only): nothing of the
 * operation was stored, and the same call may succeed later. Use cases let it through; the driving
 * adapters answer it with their protocol's retriable error instead of a server error, and log it
 * quietly, because the storage adapter reports the outage itself (once, not once per request).
 */
public class StorageUnavailableException extends StorageException {
    /** Why the storage is unavailable: the readiness probe and the logs name it. */
    public enum Reason {
        /** The server does not answer: down, restarting, unreachable, or too slow (timed out). */
        UNREACHABLE("unreachable"),
        /** Writes fail for lack of disk space; reads still work. */
        DISK_FULL("out of disk space"),
        /** The server accepts only reads (a standby, or a primary in read-only mode). */
        READ_ONLY("read-only"),
        /** The storage is out of a resource for now (memory, connections); others' calls may still work. */
        OVERLOADED("out of resources"),
        /** A statement ran longer than the storage allows (or waited too long for a lock); others may still work. */
        TIMED_OUT("timed out");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /** How logs and the readiness probe say it. */
        public String text() {
            return text;
        }

        /** Whether reads still work while this lasts. */
        public boolean readsWork() {
            return this == DISK_FULL || this == READ_ONLY;
        }
    }

    private final Reason reason;

    public StorageUnavailableException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
