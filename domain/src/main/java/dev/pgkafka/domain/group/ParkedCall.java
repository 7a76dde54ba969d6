package dev.pgkafka.domain.group;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A JoinGroup or SyncGroup call whose answer may come later: the group keeps it with the member
 * until the phase completes, and hands back its answer in {@link GroupEffects}. Compared by identity.
 */
public final class ParkedCall {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final long id = SEQUENCE.incrementAndGet();

    @Override
    public String toString() {
        return "call#" + id;
    }
}
