package dev.pgkafka.domain.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pgkafka.domain.config.ConfigValidator.AtLeast;
import dev.pgkafka.domain.config.ConfigValidator.Between;
import dev.pgkafka.domain.config.ConfigValidator.Level;
import dev.pgkafka.domain.config.ConfigValidator.ListOf;
import dev.pgkafka.domain.config.ConfigValidator.OneOf;
import dev.pgkafka.domain.config.ConfigValidator.ThrottledReplicas;

/**
 * The topic configs Apache Kafka 4.3 defines: names, types, defaults, valid values and the broker
 * configs that provide their defaults. pgkafka accepts and stores every one of them so that tools
 * and clients see what Kafka shows; the documentation says which ones change pgkafka's behaviour
 * and which are accepted without effect (replication, files and segments are PostgreSQL's business).
 */
public final class TopicConfigs {
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String REMOTE_STORAGE_ENABLE = "remote.storage.enable";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";

    public static final String POLICY_COMPACT = "compact";
    public static final String POLICY_DELETE = "delete";

    /** Kafka's compression.type values, in the order Kafka lists them. */
    public static final List<String> COMPRESSION_TYPES = List.of("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer");

    private static final String NO_EFFECT = " Accepted for compatibility; no effect in pgkafka, ";
    private static final String LONG_MAX = Long.toString(Long.MAX_VALUE);

    private static final Map<String, ConfigDef> DEFS = new LinkedHashMap<>();

    static {
        def(CLEANUP_POLICY, ConfigType.LIST, "delete", new ListOf(List.of(POLICY_COMPACT, POLICY_DELETE)),
                "What the log cleaner does: \"delete\" removes records past retention.ms or retention.bytes, "
                        + "\"compact\" keeps the latest record per key, both do both, an empty list keeps everything.",
                Synonym.of("log.cleanup.policy"));
        def("compression.gzip.level", ConfigType.INT, "-1", new Level(1, 9, -1),
                "Level of gzip compression for compression.type=gzip." + NO_EFFECT
                        + "fetches are compressed at the codec's default level.",
                Synonym.of("compression.gzip.level"));
        def("compression.lz4.level", ConfigType.INT, "9", new Level(1, 17, 9),
                "Level of lz4 compression for compression.type=lz4." + NO_EFFECT
                        + "fetches are compressed at the codec's default level.",
                Synonym.of("compression.lz4.level"));
        def(COMPRESSION_TYPE, ConfigType.STRING, "producer", new OneOf(COMPRESSION_TYPES),
                "Codec of the batches consumers fetch: gzip, snappy, lz4, zstd, uncompressed, or producer "
                        + "to keep the codec each batch was produced with.",
                Synonym.of(COMPRESSION_TYPE));
        def("compression.zstd.level", ConfigType.INT, "3", new Level(-131072, 22, 3),
                "Level of zstd compression for compression.type=zstd." + NO_EFFECT
                        + "fetches are compressed at the codec's default level.",
                Synonym.of("compression.zstd.level"));
        def(DELETE_RETENTION_MS, ConfigType.LONG, "86400000", new AtLeast(0),
                "How long a tombstone (a null value) stays in a compacted log after the cleaner first "
                        + "compacted past it, so that consumers reading from the start still see the delete.",
                Synonym.of("log.cleaner.delete.retention.ms"));
        def("file.delete.delay.ms", ConfigType.LONG, "60000", new AtLeast(0),
                "Delay before deleting a file from the filesystem." + NO_EFFECT + "there are no files.",
                Synonym.of("log.segment.delete.delay.ms"));
        def("flush.messages", ConfigType.LONG, LONG_MAX, new AtLeast(1),
                "Records between forced fsyncs." + NO_EFFECT + "every acknowledged append is a durable commit.",
                Synonym.of("log.flush.interval.messages"));
        def("flush.ms", ConfigType.LONG, LONG_MAX, new AtLeast(0),
                "Time between forced fsyncs." + NO_EFFECT + "every acknowledged append is a durable commit.",
                Synonym.of("log.flush.interval.ms"));
        def("follower.replication.throttled.replicas", ConfigType.LIST, "", new ThrottledReplicas(),
                "Replicas whose replication is throttled on the follower side." + NO_EFFECT + "there are no followers.");
        def("index.interval.bytes", ConfigType.INT, "4096", new AtLeast(0),
                "Bytes between offset index entries." + NO_EFFECT + "records are rows with a primary key.",
                Synonym.of("log.index.interval.bytes"));
        def("leader.replication.throttled.replicas", ConfigType.LIST, "", new ThrottledReplicas(),
                "Replicas whose replication is throttled on the leader side." + NO_EFFECT + "there are no followers.");
        def("local.retention.bytes", ConfigType.LONG, "-2", new AtLeast(-2),
                "Local retention with tiered storage." + NO_EFFECT + "tiered storage is not supported.",
                Synonym.of("log.local.retention.bytes"));
        def("local.retention.ms", ConfigType.LONG, "-2", new AtLeast(-2),
                "Local retention with tiered storage." + NO_EFFECT + "tiered storage is not supported.",
                Synonym.of("log.local.retention.ms"));
        def(MAX_COMPACTION_LAG_MS, ConfigType.LONG, LONG_MAX, new AtLeast(1),
                "The longest a record stays uncompacted: older records are compacted whatever the dirty ratio.",
                Synonym.of("log.cleaner.max.compaction.lag.ms"));
        def(MAX_MESSAGE_BYTES, ConfigType.INT, "1048588", new AtLeast(0),
                "The largest record batch a producer may send (compressed size), else MESSAGE_TOO_LARGE.",
                Synonym.of("message.max.bytes"));
        def(MESSAGE_TIMESTAMP_AFTER_MAX_MS, ConfigType.LONG, "3600000", new AtLeast(0),
                "How far a CreateTime timestamp may lie ahead of the broker's clock, else INVALID_TIMESTAMP.",
                Synonym.of("log.message.timestamp.after.max.ms"));
        def(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, ConfigType.LONG, LONG_MAX, new AtLeast(0),
                "How far a CreateTime timestamp may lie behind the broker's clock, else INVALID_TIMESTAMP.",
                Synonym.of("log.message.timestamp.before.max.ms"));
        def(MESSAGE_TIMESTAMP_TYPE, ConfigType.STRING, "CreateTime", new OneOf(List.of("CreateTime", "LogAppendTime")),
                "CreateTime keeps the producer's timestamps; LogAppendTime stamps each batch with the broker's "
                        + "clock when it is appended.",
                Synonym.of("log.message.timestamp.type"));
        def(MIN_CLEANABLE_DIRTY_RATIO, ConfigType.DOUBLE, "0.5", new Between(0, 1),
                "Compaction runs when at least this share of the partition's records arrived since the last "
                        + "compaction (counted in offsets, not bytes).",
                Synonym.of("log.cleaner.min.cleanable.ratio"));
        def(MIN_COMPACTION_LAG_MS, ConfigType.LONG, "0", new AtLeast(0),
                "The least time a record stays uncompacted.",
                Synonym.of("log.cleaner.min.compaction.lag.ms"));
        def("min.insync.replicas", ConfigType.INT, "1", new AtLeast(1),
                "Replicas that must acknowledge acks=all." + NO_EFFECT + "durability is PostgreSQL's commit.",
                Synonym.of("min.insync.replicas"));
        def("preallocate", ConfigType.BOOLEAN, "false", null,
                "Preallocate segment files." + NO_EFFECT + "there are no files.",
                Synonym.of("log.preallocate"));
        def("remote.log.copy.disable", ConfigType.BOOLEAN, "false", null,
                "Stop copying to tiered storage." + NO_EFFECT + "tiered storage is not supported.");
        def("remote.log.delete.on.disable", ConfigType.BOOLEAN, "false", null,
                "Delete tiered data when tiering is disabled." + NO_EFFECT + "tiered storage is not supported.");
        def(REMOTE_STORAGE_ENABLE, ConfigType.BOOLEAN, "false", null,
                "Tiered storage for the topic: not supported, so only false is accepted.");
        def(RETENTION_BYTES, ConfigType.LONG, "-1", null,
                "The most bytes a partition keeps before the cleaner removes its oldest records (delete policy); "
                        + "-1 means no limit. Bytes are the records' keys, values and headers plus 16 bytes each.",
                Synonym.of("log.retention.bytes"));
        def(RETENTION_MS, ConfigType.LONG, "604800000", new AtLeast(-1),
                "How long records are kept before the cleaner removes them (delete policy), by their timestamp; "
                        + "-1 means no limit.",
                Synonym.of("log.retention.ms"), new Synonym("log.retention.minutes", 60_000L),
                new Synonym("log.retention.hours", 3_600_000L));
        def(SEGMENT_BYTES, ConfigType.INT, "1073741824", new AtLeast(1024 * 1024),
                "Kafka's segment file size. pgkafka has no segments (records are rows, removed one by one); "
                        + "it bounds the size of one produced batch (RECORD_LIST_TOO_LARGE).",
                Synonym.of("log.segment.bytes"));
        def("segment.index.bytes", ConfigType.INT, "10485760", new AtLeast(4),
                "Size of a segment's offset index." + NO_EFFECT + "there are no segments.",
                Synonym.of("log.index.size.max.bytes"));
        def("segment.jitter.ms", ConfigType.LONG, "0", new AtLeast(0),
                "Random jitter of segment rolling." + NO_EFFECT + "there are no segments.",
                Synonym.of("log.roll.jitter.ms"), new Synonym("log.roll.jitter.hours", 3_600_000L));
        def(SEGMENT_MS, ConfigType.LONG, "604800000", new AtLeast(1),
                "Time after which Kafka rolls a segment." + NO_EFFECT
                        + "there are no segments, retention and compaction work record by record.",
                Synonym.of("log.roll.ms"), new Synonym("log.roll.hours", 3_600_000L));
        def("unclean.leader.election.enable", ConfigType.BOOLEAN, "false", null,
                "Elect out-of-sync replicas as leaders." + NO_EFFECT + "there is one broker.",
                Synonym.of("unclean.leader.election.enable"));
    }

    private TopicConfigs() {
    }

    private static void def(String name, ConfigType type, String defaultValue, ConfigValidator validator, String doc,
                            Synonym... synonyms) {
        DEFS.put(name, new ConfigDef(name, type, defaultValue, validator, doc, List.of(synonyms), false));
    }

    public static Optional<ConfigDef> find(String name) {
        return Optional.ofNullable(DEFS.get(name));
    }

    /** The definition of a config this class names; fails for any other name. */
    public static ConfigDef get(String name) {
        ConfigDef def = DEFS.get(name);
        if (def == null) {
            throw new IllegalArgumentException("no topic config " + name);
        }
        return def;
    }

    /** Every topic config, in name order. */
    public static Collection<ConfigDef> all() {
        return DEFS.values();
    }
}
