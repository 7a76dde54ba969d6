package dev.pgkafka.domain.security.acl;

/** Kafka's ACL resource types, with Kafka's wire codes ({@code org.apache.kafka.common.resource.ResourceType}). */
public enum ResourceType {
    UNKNOWN(0),
    ANY(1),
    TOPIC(2),
    GROUP(3),
    CLUSTER(4),
    TRANSACTIONAL_ID(5),
    DELEGATION_TOKEN(6),
    USER(7);

    /** The name of the one cluster resource, as Kafka spells it. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private final byte code;

    ResourceType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The type with this code, or {@link #UNKNOWN}. */
    public static ResourceType fromCode(byte code) {
        for (ResourceType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
