package dev.pgkafka.application.port.out;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import dev.pgkafka.domain.security.acl.AclBinding;

/**
 * The ACLs of the cluster, shared by every broker on the storage (Kafka keeps them in its metadata
 * log). A change counter lets brokers notice each other's changes with one cheap read; every broker
 * keeps the ACLs themselves in memory.
 */
public interface AclStorePort {

    /**
     * Every stored binding, each once, with the change counter as it was when the read began: the
     * bindings are at least as new as the version, so a reader that sees the counter move later
     * never misses a change.
     */
    Snapshot load();

    /**
     * The change counter: different after every change, by any broker (or by hand in the storage).
     * Brokers poll it several times a second.
     */
    long version();

    /** Stores those of the bindings that are not stored yet, all in one atomic change. */
    void add(Collection<AclBinding> bindings);

    /** Removes those of the bindings that are stored, all in one atomic change; returns the ones it removed. */
    Set<AclBinding> remove(Collection<AclBinding> bindings);

    /** The stored bindings and the change counter they are at least as new as. */
    record Snapshot(long version, List<AclBinding> bindings) {
        public Snapshot {
            bindings = List.copyOf(bindings);
        }
    }
}
