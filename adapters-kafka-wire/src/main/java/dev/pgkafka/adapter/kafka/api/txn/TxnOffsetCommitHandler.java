package dev.pgkafka.adapter.kafka.api.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetCommitCommand;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionCommit;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * TxnOffsetCommit: offsets committed in a transaction, validated against the group (generation and
 * member from v3, KIP-447) and kept pending until the transaction ends.
 *
 * <p>As Kafka: WRITE on the transactional id, then READ on the group (else every partition answers
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED or GROUP_AUTHORIZATION_FAILED), then READ on each topic
 * (TOPIC_AUTHORIZATION_FAILED, before telling whether it exists).
 */
public final class TxnOffsetCommitHandler implements ApiHandler {
    private static final short LEADER_EPOCH_VERSION = 2;
    private static final short GROUP_METADATA_VERSION = 3;
    /** Kafka's TxnOffsetCommitRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2. */
    private static final short LAST_VERSION_BEFORE_TRANSACTION_V2 = 4;

    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public TxnOffsetCommitHandler(TransactionsUseCase transactions, TopicsUseCase topics, AuthHelper auth) {
        this.transactions = transactions;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        TxnOffsetCommitRequestData request = (TxnOffsetCommitRequestData) message;
        short version = context.apiVersion();
        if (!auth.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        Set<String> readable = auth.filterByAuthorized(context, AclOperation.READ, ResourceType.TOPIC,
                request.topics().stream().map(TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic::name).toList());
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        List<String> pendingTopics = new ArrayList<>();
        List<Integer> pendingPartitions = new ArrayList<>();
        List<PartitionCommit> commits = new ArrayList<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : request.topics()) {
            boolean allowed = readable.contains(t.name());
            Optional<Topic> topic = allowed ? topics.find(t.name()) : Optional.empty();
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                if (!allowed) {
                    add(response, t.name(), p.partitionIndex(), ErrorCodes.code(ErrorCode.TOPIC_AUTHORIZATION_FAILED));
                } else if (topic.isEmpty() || !topic.get().hasPartition(p.partitionIndex())) {
                    add(response, t.name(), p.partitionIndex(), ErrorCodes.code(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
                } else {
                    pendingTopics.add(t.name());
                    pendingPartitions.add(p.partitionIndex());
                    commits.add(new PartitionCommit(topic.get(), p.partitionIndex(), p.committedOffset(),
                            version >= LEADER_EPOCH_VERSION ? p.committedLeaderEpoch() : -1,
                            p.committedMetadata() == null ? "" : p.committedMetadata()));
                }
            }
        }
        if (!commits.isEmpty()) {
            boolean member = version >= GROUP_METADATA_VERSION;
            OffsetCommitCommand command = new OffsetCommitCommand(request.groupId(), member ? request.memberId() : "",
                    member ? request.groupInstanceId() : null, member ? request.generationId() : -1, -1, commits, false);
            // v5 is KIP-890's transaction version 2: the commit adds the group to the transaction itself
            List<ErrorCode> errors = transactions.commitOffsets(request.transactionalId(), request.producerId(),
                    request.producerEpoch(), command, version > LAST_VERSION_BEFORE_TRANSACTION_V2);
            for (int i = 0; i < errors.size(); i++) {
                add(response, pendingTopics.get(i), pendingPartitions.get(i),
                        TxnErrors.code(errors.get(i), version, GROUP_METADATA_VERSION));
            }
        }
        return Response.of(response);
    }

    /** Adds a partition's answer to its topic's; refused partitions come first, as in Kafka's answer. */
    private static void add(TxnOffsetCommitResponseData response, String topic, int partition, short error) {
        TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic out = null;
        for (TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic existing : response.topics()) {
            if (existing.name().equals(topic)) {
                out = existing;
                break;
            }
        }
        if (out == null) {
            out = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(topic);
            response.topics().add(out);
        }
        out.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                .setPartitionIndex(partition)
                .setErrorCode(error));
    }
}
