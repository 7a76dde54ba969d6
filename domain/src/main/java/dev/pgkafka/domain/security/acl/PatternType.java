package dev.pgkafka.domain.security.acl;

/**
 * How an ACL's resource name matches (Kafka's {@code PatternType}, with Kafka's wire codes): a
 * binding is LITERAL (the name, or {@code *} for all) or PREFIXED; filters may also say ANY or
 * MATCH (every binding that would apply to the named resource).
 */
public enum PatternType {
    UNKNOWN(0),
    ANY(1),
    MATCH(2),
    LITERAL(3),
    PREFIXED(4);

    private final byte code;

    PatternType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    /** The pattern type with this code, or {@link #UNKNOWN}. */
    public static PatternType fromCode(byte code) {
        for (PatternType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
