package dev.pgkafka.application.memory;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.domain.security.acl.AclBinding;

/** ACLs in memory: a set and a counter that moves with every change. Thread-safe. */
public final class InMemoryAclStore implements AclStorePort {
    private final Set<AclBinding> bindings = new LinkedHashSet<>();
    private long version;

    @Override
    public synchronized Snapshot load() {
        return new Snapshot(version, List.copyOf(bindings));
    }

    @Override
    public synchronized long version() {
        return version;
    }

    @Override
    public synchronized void add(Collection<AclBinding> added) {
        if (bindings.addAll(added)) {
            version++;
        }
    }

    @Override
    public synchronized Set<AclBinding> remove(Collection<AclBinding> removed) {
        Set<AclBinding> gone = new LinkedHashSet<>();
        for (AclBinding b : removed) {
            if (bindings.remove(b)) {
                gone.add(b);
            }
        }
        if (!gone.isEmpty()) {
            version++;
        }
        return gone;
    }
}
