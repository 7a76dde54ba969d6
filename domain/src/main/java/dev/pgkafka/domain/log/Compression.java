package dev.pgkafka.domain.log;

/** Compression codecs of a record batch, with the ids Kafka puts in the batch attributes. */
public enum Compression {
    NONE(0, "uncompressed"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private final int id;
    private final String configName;

    Compression(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    public int id() {
        return id;
    }

    /** The name used by {@code compression.type}. */
    public String configName() {
        return configName;
    }

    public static Compression fromId(int id) {
        for (Compression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown compression codec id " + id);
    }
}
