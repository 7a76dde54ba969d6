package dev.pgkafka.adapter.kafka.api.produce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.zip.CRC32C;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ProduceUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/**
 * What Produce checks before it decodes a batch (its partition, its topic's max.message.bytes) and the
 * bound on the decoded records of requests appended together.
 */
class ProduceLimitsTest {
    private static final int BATCH_HEADER = 61;
    private final Topic open = new Topic(UUID.randomUUID(), "open", 1, Map.of());
    private final Topic small = new Topic(UUID.randomUUID(), "small", 1, Map.of("max.message.bytes", "1000"));
    private final Topic wide = new Topic(UUID.randomUUID(), "wide", 4, Map.of());
    private final List<ProduceUseCase.ProduceCommand> appended = new ArrayList<>();
    private final ProduceUseCase produce = command -> {
        appended.add(command);
        List<ProduceUseCase.PartitionResult> results = new ArrayList<>();
        for (ProduceUseCase.PartitionBatch b : command.batches()) {
            results.add(new ProduceUseCase.PartitionResult(b.topic(), b.partition(), ErrorCode.NONE, null, 0, -1, 0));
        }
        return new ProduceUseCase.ProduceResult(results);
    };

    private final TopicsUseCase topics = new TopicsUseCase() {
        @Override
        public Optional<Topic> find(String name) {
            return list().stream().filter(t -> t.name().equals(name)).findFirst();
        }

        @Override
        public Optional<Topic> find(UUID topicId) {
            return list().stream().filter(t -> t.id().equals(topicId)).findFirst();
        }

        @Override
        public List<Topic> list() {
            return List.of(open, small, wide);
        }

        @Override
        public Optional<Topic> findOrAutoCreate(String name, boolean clientAllowsAutoCreate) {
            return find(name);
        }

        @Override
        public CreateTopicOutcome create(CreateTopicCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TopicDescription> describeAll() {
            throw new UnsupportedOperationException();
        }
    };

    /** A gzip batch of {@code bytes} random bytes whose compressed data is then replaced by garbage (valid CRC). */
    private static MemoryRecords gzipGarbage(int bytes) {
        byte[] random = new byte[bytes];
        new Random(bytes).nextBytes(random);
        ByteBuffer b = MemoryRecords.withRecords(Compression.gzip().build(), new SimpleRecord(random)).buffer();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        for (int i = BATCH_HEADER; i < a.length; i++) {
            a[i] = (byte) (i * 31 + 7);
        }
        CRC32C crc = new CRC32C();
        crc.update(a, 21, a.length - 21);
        ByteBuffer.wrap(a).putInt(17, (int) crc.getValue());
        return MemoryRecords.readableRecords(ByteBuffer.wrap(a));
    }

    private static MemoryRecords gzipZeros(int bytes) {
        return MemoryRecords.withRecords(Compression.gzip().build(), new SimpleRecord(new byte[bytes]));
    }

    private static ProduceRequestData request(String topic, MemoryRecords... partitions) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        for (int p = 0; p < partitions.length; p++) {
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                    .setRecords(MemoryRecords.readableRecords(partitions[p].buffer().duplicate())));
        }
        request.topicData().add(t);
        return request;
    }

    private static RequestContext context() {
        return new RequestContext(1, new InetSocketAddress(0), "test", ApiKeys.PRODUCE, (short) 12, 1);
    }

    private static List<Short> errors(Response response) {
        List<Short> out = new ArrayList<>();
        for (ProduceResponseData.TopicProduceResponse t : ((ProduceResponseData) response.body()).responses()) {
            t.partitionResponses().forEach(p -> out.add(p.errorCode()));
        }
        return out;
    }

    @Test
    void aBatchOverMaxMessageBytesIsRefusedBeforeItIsDecompressed() {
        ProduceHandler handler = new ProduceHandler(produce, topics, AuthHelper.allowAll());
        MemoryRecords garbage = gzipGarbage(2_000);
        assertTrue(garbage.sizeInBytes() > 1000);
        // decompressing the garbage could only find it corrupt: MESSAGE_TOO_LARGE shows it was never decompressed
        assertEquals(List.of(Errors.MESSAGE_TOO_LARGE.code()), errors(handler.handle(context(), request("small", garbage))));
        assertEquals(List.of(Errors.CORRUPT_MESSAGE.code()), errors(handler.handle(context(), request("open", garbage))));
        assertTrue(appended.isEmpty());
    }

    @Test
    void aBatchForAPartitionThatDoesNotExistIsNotDecoded() {
        ProduceHandler handler = new ProduceHandler(produce, topics, AuthHelper.allowAll());
        MemoryRecords garbage = gzipGarbage(500);
        assertEquals(List.of(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()),
                errors(handler.handle(context(), request("nope", garbage))));
        assertEquals(List.of(Errors.CORRUPT_MESSAGE.code(), Errors.UNKNOWN_TOPIC_OR_PARTITION.code()),
                errors(handler.handle(context(), request("open", garbage, garbage))),
                "partition 1 of a one-partition topic");
        assertTrue(appended.isEmpty());
    }

    @Test
    void theDecodedRecordsOfRequestsAppendedTogetherShareOneBound() {
        // each batch decodes to 40 kB of zeros plus a record's overhead: two fit in 100 kB, three do not
        ProduceHandler handler = new ProduceHandler(produce, topics, AuthHelper.allowAll(), 100_000);
        MemoryRecords batch = gzipZeros(40_000);
        assertEquals(List.of(Errors.NONE.code(), Errors.NONE.code(), Errors.MESSAGE_TOO_LARGE.code()),
                errors(handler.handle(context(), request("wide", batch, batch, batch))));
        assertEquals(2, appended.getLast().batches().size(), "the refused batch is not appended");

        // the same three batches in two pipelined requests of one producer, appended in one transaction
        List<ApiMessage> requests = List.of(request("wide", batch, batch), request("wide", batch));
        List<Response> responses = handler.handleTogether(List.of(context(), context()), requests);
        assertEquals(List.of(Errors.NONE.code(), Errors.NONE.code()), errors(responses.get(0)));
        assertEquals(List.of(Errors.MESSAGE_TOO_LARGE.code()), errors(responses.get(1)));

        // a request on its own starts with the whole bound
        assertEquals(List.of(Errors.NONE.code()), errors(handler.handle(context(), request("wide", batch))));
    }
}
