package dev.pgkafka.application.port.out;

import java.util.List;

import dev.pgkafka.domain.group.GroupSnapshot;

/**
 * Where consumer group metadata lives between broker restarts: generation, protocol, leader, members
 * and their assignments (Kafka's GroupMetadata record). The coordinator keeps groups in memory and
 * saves a snapshot at the points Kafka writes one (a stored assignment, an emptied group, a static
 * member's new id, a new group); it reads them all back at start.
 */
public interface GroupStorePort {

    /** Every stored group, as last saved. */
    List<GroupSnapshot> loadAll();

    /** Replaces what is stored for {@code snapshot.groupId()} (its members included), atomically. */
    void save(GroupSnapshot snapshot);

    /**
     * Deletes the group and every offset it committed, in one transaction (DeleteGroups, or an empty
     * group whose offsets expired). Deleting a group that is not stored deletes its offsets.
     */
    void delete(String groupId);
}
