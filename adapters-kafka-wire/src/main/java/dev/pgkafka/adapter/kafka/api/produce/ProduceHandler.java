package dev.pgkafka.adapter.kafka.api.produce;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.RequestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.listener.RequestLimits;
import dev.pgkafka.adapter.kafka.protocol.BatchingHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.record.DecodedRecordsBudget;
import dev.pgkafka.adapter.kafka.record.DecodingAllowance;
import dev.pgkafka.adapter.kafka.record.InvalidBatchException;
import dev.pgkafka.adapter.kafka.record.RecordBatchDecoder;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ProduceUseCase;
import dev.pgkafka.application.port.in.ProduceUseCase.PartitionBatch;
import dev.pgkafka.application.port.in.ProduceUseCase.PartitionResult;
import dev.pgkafka.application.port.in.ProduceUseCase.ProduceCommand;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * Produce: decodes and validates each partition's batch, appends all valid ones in one storage
 * transaction (together with the producer's pipelined requests that arrived with it), and answers
 * only after it committed. acks=0 gets no answer (and, as in Kafka, a
 * closed connection when something failed).
 *
 * <p>Authorization as Kafka's: transactional records need WRITE on the transactional id (else the
 * whole request answers TRANSACTIONAL_ID_AUTHORIZATION_FAILED), and each topic needs WRITE (else its
 * partitions answer TOPIC_AUTHORIZATION_FAILED, whether or not the topic exists). Idempotent records
 * need nothing more (KIP-679: InitProducerId checked IDEMPOTENT_WRITE).
 *
 * <p>Before a batch is decoded, as in Kafka's {@code KafkaApis} and {@code UnifiedLog}: its partition must
 * exist (UNKNOWN_TOPIC_OR_PARTITION) and its wire size must be within the topic's {@code max.message.bytes}
 * (MESSAGE_TOO_LARGE), so an oversized compressed batch is never inflated. The decoded records of the
 * requests appended together may take at most {@code pgkafka.produce.max.uncompressed.request.bytes}
 * ({@link DecodingAllowance}); a batch beyond it answers MESSAGE_TOO_LARGE and is not stored
 * (docs/adr/0016-request-limits.md).
 */
public final class ProduceHandler implements BatchingHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProduceHandler.class);
    /** zstd arrived with Produce v7 (KIP-110). */
    private static final short ZSTD_MIN_VERSION = 7;

    private final ProduceUseCase produce;
    private final TopicsUseCase topics;
    private final AuthHelper auth;
    private final long maxUncompressedRequestBytes;
    private final DecodedRecordsBudget brokerBudget;

    public ProduceHandler(ProduceUseCase produce, TopicsUseCase topics, AuthHelper auth) {
        this(produce, topics, auth, RequestLimits.DEFAULT_PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES);
    }

    /** @param maxUncompressedRequestBytes what the decoded records of requests appended together may take */
    public ProduceHandler(ProduceUseCase produce, TopicsUseCase topics, AuthHelper auth,
                          long maxUncompressedRequestBytes) {
        this(produce, topics, auth, maxUncompressedRequestBytes,
                DecodedRecordsBudget.forHeap(Runtime.getRuntime().maxMemory(), maxUncompressedRequestBytes));
    }

    /** @param brokerBudget what the decoded records of all produce requests in progress may take together */
    public ProduceHandler(ProduceUseCase produce, TopicsUseCase topics, AuthHelper auth,
                          long maxUncompressedRequestBytes, DecodedRecordsBudget brokerBudget) {
        this.produce = produce;
        this.topics = topics;
        this.auth = auth;
        this.maxUncompressedRequestBytes = maxUncompressedRequestBytes;
        this.brokerBudget = brokerBudget;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    /** Kafka's ProduceRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2. */
    private static final short LAST_VERSION_BEFORE_TRANSACTION_V2 = 11;

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        return handleTogether(List.of(context), List.of(message)).getFirst();
    }

    /** Pipelined requests of one producer (same transactional id) are appended in one transaction. */
    @Override
    public boolean canHandleTogether(ApiMessage previous, ApiMessage next) {
        return Objects.equals(((ProduceRequestData) previous).transactionalId(),
                ((ProduceRequestData) next).transactionalId());
    }

    @Override
    public List<Response> handleTogether(List<RequestContext> contexts, List<ApiMessage> requests) {
        List<Prepared> prepared = new ArrayList<>(requests.size());
        List<PartitionBatch> batches = new ArrayList<>();
        // the decoded batches of all these requests are held until their one append: one allowance for them
        DecodingAllowance allowance = new DecodingAllowance(maxUncompressedRequestBytes, brokerBudget);
        try {
            for (int i = 0; i < requests.size(); i++) {
                prepared.add(prepare(contexts.get(i), (ProduceRequestData) requests.get(i), batches, allowance));
            }
            append(prepared, batches, contexts, requests);
        } finally {
            // the decoded records are no longer held by this request once the append is answered
            allowance.release();
        }
        List<Response> responses = new ArrayList<>(prepared.size());
        for (Prepared p : prepared) {
            responses.add(respond(p));
        }
        return responses;
    }

    private void append(List<Prepared> prepared, List<PartitionBatch> batches, List<RequestContext> contexts,
                        List<ApiMessage> requests) {
        if (!batches.isEmpty()) {
            String transactionalId = ((ProduceRequestData) requests.getFirst()).transactionalId();
            // v12+ is KIP-890's transaction version 2: transactional batches add their partitions themselves
            boolean addsPartitions = contexts.stream().allMatch(c -> c.apiVersion() > LAST_VERSION_BEFORE_TRANSACTION_V2);
            List<PartitionResult> results = produce.produce(new ProduceCommand(prepared.getFirst().acks,
                    transactionalId, batches, addsPartitions)).partitions();
            int next = 0;
            for (Prepared p : prepared) {
                for (Slot slot : p.slots) {
                    if (slot.result == null) {
                        slot.result = results.get(next++);
                    }
                }
            }
        }
    }

    /** Decodes a request's batches (appending the valid ones to {@code batches}) and notes its slots. */
    private Prepared prepare(RequestContext context, ProduceRequestData request, List<PartitionBatch> batches,
                             DecodingAllowance allowance) {
        short acks = request.acks();
        boolean byId = context.apiVersion() >= 13;
        ErrorCode requestError = transactionalIdError(context, request);
        List<Slot> slots = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<ErrorCode> topicErrors = new ArrayList<>();
        List<Optional<Topic>> found = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            String name = topicData.name();
            ErrorCode topicError = ErrorCode.NONE;
            Optional<Topic> topic;
            if (byId) {
                topic = topics.find(Uuids.fromKafka(topicData.topicId()));
                name = topic.map(Topic::name).orElse(null);
                topicError = topic.isPresent() ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_ID;
            } else {
                topic = Optional.empty(); // looked up once authorized: an unauthorized client learns nothing
            }
            names.add(name);
            topicErrors.add(topicError);
            found.add(topic);
        }
        Set<String> writable = requestError != ErrorCode.NONE ? Set.of()
                : auth.filterByAuthorized(context, AclOperation.WRITE, ResourceType.TOPIC,
                        names.stream().filter(Objects::nonNull).toList());
        int t = 0;
        for (ProduceRequestData.TopicProduceData topicData : request.topicData()) {
            String name = names.get(t);
            Optional<Topic> topic = found.get(t);
            ErrorCode topicError = topicErrors.get(t++);
            if (topic.isEmpty() && topicError == ErrorCode.NONE && requestError == ErrorCode.NONE
                    && writable.contains(name)) {
                topic = topics.find(name);
            }
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                Slot slot = new Slot(topicData.name(), topicData.topicId(), partitionData.index());
                slots.add(slot);
                if (requestError != ErrorCode.NONE) {
                    slot.result = PartitionResult.failed(name, slot.partition, requestError, null);
                } else if (topicError != ErrorCode.NONE) {
                    slot.result = PartitionResult.failed(name, slot.partition, topicError, "Unknown topic id");
                } else if (!writable.contains(name)) {
                    slot.result = PartitionResult.failed(name, slot.partition, ErrorCode.TOPIC_AUTHORIZATION_FAILED, null);
                } else if (acks != 0 && acks != 1 && acks != -1) {
                    slot.result = PartitionResult.failed(name, slot.partition, ErrorCode.INVALID_REQUIRED_ACKS,
                            "acks must be 0, 1 or -1 (all), was " + acks);
                } else if (topic.isEmpty() || !topic.get().hasPartition(slot.partition)) {
                    // as Kafka, before the records are looked at
                    slot.result = PartitionResult.failed(name, slot.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                            "This server does not host this topic-partition.");
                } else {
                    decode(topic.get(), partitionData, slot, batches, context.apiVersion(), allowance);
                }
            }
        }
        return new Prepared(context, acks, byId, slots);
    }

    /**
     * TRANSACTIONAL_ID_AUTHORIZATION_FAILED when the request carries transactional records without WRITE
     * on its transactional id, or without one (also with no authorizer), as Kafka checks before anything else.
     */
    private ErrorCode transactionalIdError(RequestContext context, ProduceRequestData request) {
        if (!hasTransactionalRecords(request, context.apiVersion())) {
            return ErrorCode.NONE;
        }
        String transactionalId = request.transactionalId();
        return transactionalId != null
                && auth.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)
                ? ErrorCode.NONE : ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
    }

    private static boolean hasTransactionalRecords(ProduceRequestData request, short version) {
        try {
            return RequestUtils.hasTransactionalRecords(new ProduceRequest(request, version));
        } catch (RuntimeException e) {
            return false; // a damaged batch header: decoding refuses that partition
        }
    }

    private static Response respond(Prepared p) {
        if (p.acks == 0) {
            boolean failed = p.slots.stream().anyMatch(s -> s.result.error() != ErrorCode.NONE);
            if (failed) {
                LOG.info("{}: closing the acks=0 producer's connection because its produce failed", p.context);
                return Response.closeConnection();
            }
            return Response.none();
        }
        return Response.of(response(p.slots, p.byId));
    }

    private record Prepared(RequestContext context, short acks, boolean byId, List<Slot> slots) {
    }

    private void decode(Topic found, ProduceRequestData.PartitionProduceData partitionData, Slot slot,
                        List<PartitionBatch> batches, short version, DecodingAllowance allowance) {
        String topic = found.name();
        BaseRecords records = partitionData.records();
        if (!(records instanceof MemoryRecords memory)) {
            slot.result = PartitionResult.failed(topic, slot.partition, ErrorCode.INVALID_RECORD,
                    "The produce request carries no records for this partition");
            return;
        }
        ByteBuffer buffer = memory.buffer();
        int maxMessageBytes = topics.logConfig(found).maxMessageBytes();
        if (buffer.remaining() > maxMessageBytes) {
            // Kafka's UnifiedLog checks each batch's size before LogValidator decompresses it: so do we
            slot.result = PartitionResult.failed(topic, slot.partition, ErrorCode.MESSAGE_TOO_LARGE,
                    "The request included a message larger than the max message size the server will accept: "
                            + buffer.remaining() + " bytes, max.message.bytes " + maxMessageBytes);
            return;
        }
        try {
            AppendBatch batch = RecordBatchDecoder.decode(buffer, RecordBatchDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES,
                    allowance);
            if (version < ZSTD_MIN_VERSION && batch.attributes().compression() == Compression.ZSTD) {
                // as Kafka: clients that old could not read zstd back
                slot.result = PartitionResult.failed(topic, slot.partition, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
                        "Produce requests with version " + version + " cannot carry zstd-compressed batches");
                return;
            }
            batches.add(new PartitionBatch(topic, slot.partition, batch));
        } catch (InvalidBatchException e) {
            LOG.debug("refusing a batch for {}-{}: {}", topic, slot.partition, e.getMessage());
            slot.result = PartitionResult.failed(topic, slot.partition, e.error(), e.getMessage());
        }
    }

    private static ProduceResponseData response(List<Slot> slots, boolean byId) {
        ProduceResponseData response = new ProduceResponseData().setThrottleTimeMs(0);
        ProduceResponseData.TopicProduceResponse current = null;
        for (Slot slot : slots) {
            if (current == null || !sameTopic(current, slot, byId)) {
                current = response.responses().find(slot.topic, slot.topicId);
                if (current == null) {
                    current = new ProduceResponseData.TopicProduceResponse()
                            .setName(byId ? "" : slot.topic)
                            .setTopicId(byId ? slot.topicId : Uuid.ZERO_UUID);
                    if (!byId) {
                        current.setName(slot.topic);
                    }
                    response.responses().add(current);
                }
            }
            PartitionResult r = slot.result;
            Errors error = ErrorCodes.toKafka(r.error());
            current.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse()
                    .setIndex(slot.partition)
                    .setErrorCode(error.code())
                    .setErrorMessage(error == Errors.NONE ? null : r.errorMessage())
                    .setBaseOffset(r.baseOffset())
                    .setLogAppendTimeMs(r.logAppendTime())
                    .setLogStartOffset(r.logStartOffset()));
        }
        return response;
    }

    private static boolean sameTopic(ProduceResponseData.TopicProduceResponse current, Slot slot, boolean byId) {
        return byId ? current.topicId().equals(slot.topicId) : current.name().equals(slot.topic);
    }

    /** One partition of the request, in request order, and its result once known. */
    private static final class Slot {
        final String topic;
        final Uuid topicId;
        final int partition;
        PartitionResult result;

        Slot(String topic, Uuid topicId, int partition) {
            this.topic = topic == null ? "" : topic;
            this.topicId = topicId == null ? Uuid.ZERO_UUID : topicId;
            this.partition = partition;
        }
    }
}
