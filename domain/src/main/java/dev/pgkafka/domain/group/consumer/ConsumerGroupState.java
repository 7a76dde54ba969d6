package dev.pgkafka.domain.group.consumer;

/** The states of a consumer group (KIP-848), named as Kafka names them in ListGroups and ConsumerGroupDescribe. */
public enum ConsumerGroupState {
    /** No members. */
    EMPTY("Empty"),
    /** The group epoch moved past the target assignment's epoch: a new target is due. */
    ASSIGNING("Assigning"),
    /** The target is computed; some members have not reached it yet. */
    RECONCILING("Reconciling"),
    /** Every member has its target assignment at the group's epoch. */
    STABLE("Stable"),
    /** Deleted. */
    DEAD("Dead");

    private final String kafkaName;

    ConsumerGroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }
}
