package dev.pgkafka.domain.security.acl;

/** Whether an ACL allows or denies (Kafka's {@code AclPermissionType}, with Kafka's wire codes). */
public enum AclPermissionType {
    UNKNOWN(0),
    ANY(1),
    DENY(2),
    ALLOW(3);

    private final byte code;

    AclPermissionType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The permission type with this code, or {@link #UNKNOWN}. */
    public static AclPermissionType fromCode(byte code) {
        for (AclPermissionType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
