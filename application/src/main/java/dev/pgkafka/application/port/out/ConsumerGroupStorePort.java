package dev.pgkafka.application.port.out;

import java.util.List;

import dev.pgkafka.domain.group.consumer.ConsumerGroupChanges;
import dev.pgkafka.domain.group.consumer.ConsumerGroupSnapshot;

/**
 * Where consumer groups of the consumer group protocol (KIP-848) live between broker restarts: group
 * and assignment epochs, members with their epochs, subscriptions and partitions, and the target
 * assignment. The coordinator saves a group whenever a heartbeat or a timeout changed it (before the
 * answer goes out) and reads them all back at start.
 *
 * <p>Classic groups ({@link GroupStorePort}) and consumer groups share one id space: saving a consumer
 * group replaces a stored classic group of the same id (an empty one the consumer group took over);
 * committed offsets ({@link OffsetStorePort}) belong to the id whichever type it has.
 */
public interface ConsumerGroupStorePort {

    /** Every stored consumer group, as last saved. */
    List<ConsumerGroupSnapshot> loadAll();

    /** Replaces what is stored for the group (members and assignments included), atomically. */
    void save(ConsumerGroupSnapshot snapshot);

    /**
     * Applies the changes to the stored group atomically: afterwards the store holds
     * {@code changes.applyTo(stored)}. Only for a group that was saved before. The coordinator writes a
     * heartbeat's changes this way, so that reconciling one member rewrites one member.
     */
    void update(ConsumerGroupChanges changes);

    /**
     * Deletes the group; with {@code withOffsets} its committed offsets too, in the same transaction
     * (DeleteGroups). Without, the offsets stay for a classic group taking the id over.
     */
    void delete(String groupId, boolean withOffsets);
}
