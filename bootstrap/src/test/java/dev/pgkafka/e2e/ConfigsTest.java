package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;

/**
 * DescribeConfigs, IncrementalAlterConfigs and AlterConfigs on topics and brokers through the Java
 * Admin client (and a raw connection for the legacy API), and the configs the broker enforces:
 * max.message.bytes, segment.bytes, message.timestamp.type, compression.type, keys on compacted
 * topics, CreateTime bounds.
 */
class ConfigsTest extends BrokerTestSupport {

    private static ConfigResource topicResource(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "1");
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    private String topic(Map<String, String> configs) throws Exception {
        String name = uniqueTopic("configs");
        admin().createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
        return name;
    }

    private static Config describe(Admin admin, ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)
                .includeDocumentation(true)).all().get().get(resource);
    }

    private static void alter(Admin admin, ConfigResource resource, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(resource, List.of(ops))).all().get();
    }

    private static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    private static Throwable failure(ThrowingCall call) {
        return assertThrows(ExecutionException.class, call::run).getCause();
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void topicConfigsShowValuesSourcesSynonymsTypesAndDocs() throws Exception {
        Admin admin = admin();
        String name = topic(Map.of("retention.ms", "12345"));

        Config config = describe(admin, topicResource(name));

        assertEquals(33, config.entries().size());
        ConfigEntry retention = config.get("retention.ms");
        assertEquals("12345", retention.value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, retention.source());
        assertEquals(ConfigEntry.ConfigType.LONG, retention.type());
        assertFalse(retention.isReadOnly());
        assertFalse(retention.isSensitive());
        assertTrue(retention.documentation().contains("kept"), retention.documentation());
        assertEquals("retention.ms", retention.synonyms().getFirst().name());
        ConfigEntry max = config.get("max.message.bytes");
        assertEquals("1048588", max.value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, max.source());
        assertEquals(List.of("message.max.bytes"), max.synonyms().stream().map(ConfigEntry.ConfigSynonym::name).toList());
        assertEquals(ConfigEntry.ConfigType.LIST, config.get("cleanup.policy").type());

        Config some = admin.describeConfigs(List.of(topicResource(name))).all().get().get(topicResource(name));
        assertTrue(some.get("retention.ms").synonyms().isEmpty(), "no synonyms unless asked");
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(() -> admin.describeConfigs(
                List.of(topicResource(name + "-missing"))).all().get()));
    }

    @Test
    void incrementalAlterSetsDeletesAppendsAndSubtracts() throws Exception {
        Admin admin = admin();
        String name = topic(Map.of("retention.ms", "1000"));
        ConfigResource resource = topicResource(name);

        alter(admin, resource, op("max.message.bytes", "2000", AlterConfigOp.OpType.SET),
                op("retention.ms", null, AlterConfigOp.OpType.DELETE),
                op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
        Config config = describe(admin, resource);
        assertEquals("2000", config.get("max.message.bytes").value());
        assertEquals("604800000", config.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("retention.ms").source());
        assertEquals("delete,compact", config.get("cleanup.policy").value());

        alter(admin, resource, op("cleanup.policy", "delete", AlterConfigOp.OpType.SUBTRACT));
        assertEquals("compact", describe(admin, resource).get("cleanup.policy").value());

        admin.incrementalAlterConfigs(Map.of(resource, List.of(op("max.message.bytes", "3000", AlterConfigOp.OpType.SET))),
                new org.apache.kafka.clients.admin.AlterConfigsOptions().validateOnly(true)).all().get();
        assertEquals("2000", describe(admin, resource).get("max.message.bytes").value(), "validate only");

        assertEquals("Unknown topic config name: foo", failure(() -> alter(admin, resource,
                op("foo", "1", AlterConfigOp.OpType.SET))).getMessage());
        assertEquals("Invalid value x for configuration retention.ms: Not a number of type LONG", failure(() -> alter(admin,
                resource, op("retention.ms", "x", AlterConfigOp.OpType.SET))).getMessage());
        assertEquals("Can't APPEND to key retention.ms because its type is not LIST.", failure(() -> alter(admin, resource,
                op("retention.ms", "1", AlterConfigOp.OpType.APPEND))).getMessage());
        assertInstanceOf(InvalidConfigurationException.class, failure(() -> alter(admin, resource,
                op("min.compaction.lag.ms", "10", AlterConfigOp.OpType.SET),
                op("max.compaction.lag.ms", "5", AlterConfigOp.OpType.SET))));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(() -> alter(admin, topicResource(name + "-missing"),
                op("retention.ms", "1", AlterConfigOp.OpType.SET))));
    }

    @Test
    void theLegacyAlterConfigsReplacesEveryOverride() throws Exception {
        String name = topic(Map.of("retention.ms", "1000", "max.message.bytes", "5000"));
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            AlterConfigsRequestData request = new AlterConfigsRequestData();
            AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(name);
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("2000"));
            request.resources().add(resource);
            AlterConfigsResponse response = conn.request(request, (short) 2, AlterConfigsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().responses().getFirst().errorCode());
        }
        Config config = describe(admin(), topicResource(name));
        assertEquals("2000", config.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("max.message.bytes").source(),
                "configs not named are removed");
    }

    @Test
    void brokerConfigsAreReadableAndTheDynamicOnesChangeTopicDefaults() throws Exception {
        Admin admin = admin();
        Config config = describe(admin, BROKER);
        ConfigEntry autoCreate = config.get("auto.create.topics.enable");
        assertEquals("true", autoCreate.value());
        assertTrue(autoCreate.isReadOnly());
        assertEquals(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, autoCreate.source());
        assertEquals("1", config.get("num.partitions").value());
        assertEquals("300000", config.get("log.retention.check.interval.ms").value());
        assertNull(config.get("log.retention.ms").value());
        assertEquals("168", config.get("log.retention.hours").value());
        assertFalse(config.get("message.max.bytes").isReadOnly());

        String name = topic(Map.of());
        try {
            alter(admin, CLUSTER_DEFAULT, op("log.retention.ms", "86400000", AlterConfigOp.OpType.SET),
                    op("compression.type", "zstd", AlterConfigOp.OpType.SET));
            ConfigEntry retention = describe(admin, topicResource(name)).get("retention.ms");
            assertEquals("86400000", retention.value());
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, retention.source());
            assertEquals("log.retention.ms", retention.synonyms().getFirst().name());
            Config defaults = describe(admin, CLUSTER_DEFAULT);
            assertEquals(2, defaults.entries().size(), "the cluster default resource shows what is set there");
            assertEquals("86400000", describe(admin, BROKER).get("log.retention.ms").value());
            assertEquals(List.of(1L), new RecordsTable(jdbcUrl).longs(
                    "SELECT count(*) FROM kafka.broker_configs WHERE layer = '' AND name = 'log.retention.ms'"),
                    "kept in PostgreSQL for the next start");

            alter(admin, BROKER, op("message.max.bytes", "4000", AlterConfigOp.OpType.SET));
            assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG,
                    describe(admin, topicResource(name)).get("max.message.bytes").source());
            Throwable tooBig = assertThrows(ExecutionException.class, () -> producer(Map.of())
                    .send(new ProducerRecord<>(name, new byte[5000])).get()).getCause();
            assertInstanceOf(RecordTooLargeException.class, tooBig);
        } finally {
            alter(admin, CLUSTER_DEFAULT, op("log.retention.ms", null, AlterConfigOp.OpType.DELETE),
                    op("compression.type", null, AlterConfigOp.OpType.DELETE));
            alter(admin, BROKER, op("message.max.bytes", null, AlterConfigOp.OpType.DELETE));
        }
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, describe(admin, topicResource(name)).get("retention.ms").source());

        Throwable readOnly = failure(() -> alter(admin, CLUSTER_DEFAULT, op("auto.create.topics.enable", "false",
                AlterConfigOp.OpType.SET)));
        assertInstanceOf(InvalidRequestException.class, readOnly);
        assertEquals("Cannot update these configs dynamically: [auto.create.topics.enable]", readOnly.getMessage());
        assertEquals("Invalid value x for configuration message.max.bytes: Not a number of type INT",
                failure(() -> alter(admin, CLUSTER_DEFAULT, op("message.max.bytes", "x", AlterConfigOp.OpType.SET)))
                        .getMessage());
    }

    // ---- enforced configs ----

    @Test
    void maxMessageBytesAndSegmentBytesBoundWhatProducersMaySend() throws Exception {
        String small = topic(Map.of("max.message.bytes", "1000"));
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024));
        assertInstanceOf(RecordTooLargeException.class, assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(small, new byte[2000])).get()).getCause());
        producer.send(new ProducerRecord<>(small, new byte[500])).get();

        String segment = topic(Map.of("max.message.bytes", "3000000", "segment.bytes", "1048576"));
        assertInstanceOf(RecordBatchTooLargeException.class, assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(segment, new byte[2_000_000])).get()).getCause(),
                "RECORD_LIST_TOO_LARGE: larger than a segment");
    }

    @Test
    void logAppendTimeStampsRecordsWithTheBrokersClock() throws Exception {
        String name = topic(Map.of("message.timestamp.type", "LogAppendTime"));
        long before = System.currentTimeMillis();
        RecordMetadata meta = producer(Map.of()).send(new ProducerRecord<>(name, 0, 1000L, null,
                "old".getBytes(StandardCharsets.UTF_8))).get();
        assertTrue(meta.timestamp() >= before, "the producer learns the append time: " + meta.timestamp());
        ConsumerRecord<byte[], byte[]> read = readAll(consumer(Map.of()), List.of(new TopicPartition(name, 0)), 1,
                Duration.ofSeconds(10)).getFirst();
        assertEquals(TimestampType.LOG_APPEND_TIME, read.timestampType());
        assertEquals(meta.timestamp(), read.timestamp());
    }

    @Test
    void compressionTypeDecidesTheCodecConsumersGet() throws Exception {
        String gzip = topic(Map.of("compression.type", "gzip"));
        String producerCodec = topic(Map.of());
        KafkaProducer<byte[], byte[]> lz4 = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        for (String t : List.of(gzip, producerCodec)) {
            lz4.send(new ProducerRecord<>(t, "k".getBytes(StandardCharsets.UTF_8), "compress me".repeat(20)
                    .getBytes(StandardCharsets.UTF_8))).get();
        }
        assertEquals(CompressionType.GZIP, fetchedCodec(gzip));
        assertEquals(CompressionType.LZ4, fetchedCodec(producerCodec), "producer: the codec the batch came with");
    }

    private CompressionType fetchedCodec(String topic) throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20);
            FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(topic);
            t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20));
            request.topics().add(t);
            FetchResponse response = conn.request(request, (short) 12, FetchResponse.class);
            MemoryRecords records = (MemoryRecords) response.data().responses().getFirst().partitions().getFirst().records();
            List<RecordBatch> batches = new ArrayList<>();
            records.batches().forEach(batches::add);
            return batches.getFirst().compressionType();
        }
    }

    @Test
    void compactedTopicsRefuseRecordsWithoutAKey() throws Exception {
        String name = topic(Map.of("cleanup.policy", "compact"));
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        Throwable e = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(name, null,
                "v".getBytes(StandardCharsets.UTF_8))).get()).getCause();
        assertInstanceOf(InvalidRecordException.class, e);
        assertTrue(e.getMessage().contains("Compacted topic cannot accept message without key"), e.getMessage());
        producer.send(new ProducerRecord<>(name, "k".getBytes(StandardCharsets.UTF_8), null)).get();
    }

    @Test
    void createTimeFarInTheFutureIsRefused() throws Exception {
        String name = topic(Map.of("message.timestamp.after.max.ms", "60000"));
        long future = System.currentTimeMillis() + 3_600_000;
        assertInstanceOf(InvalidTimestampException.class, assertThrows(ExecutionException.class,
                () -> producer(Map.of()).send(new ProducerRecord<>(name, 0, future, null, new byte[1])).get()).getCause());
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
            ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(name);
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(future, null, new byte[1]))));
            request.topicData().add(t);
            ProduceResponse response = conn.request(request, (short) 12, ProduceResponse.class);
            assertEquals(Errors.INVALID_TIMESTAMP.code(),
                    response.data().responses().iterator().next().partitionResponses().getFirst().errorCode());
        }
    }
}
