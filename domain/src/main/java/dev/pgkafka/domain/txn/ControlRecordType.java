package dev.pgkafka.domain.txn;

/** The two transaction markers, with Kafka's control record type ids. */
public enum ControlRecordType {
    ABORT((short) 0),
    COMMIT((short) 1);

    private final short id;

    ControlRecordType(short id) {
        this.id = id;
    }

    public short id() {
        return id;
    }

    public static ControlRecordType of(boolean commit) {
        return commit ? COMMIT : ABORT;
    }
}
