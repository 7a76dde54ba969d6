package dev.pgkafka.adapter.kafka.api.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetCommitCommand;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionCommit;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/**
 * TxnOffsetCommit: offsets committed in a transaction, validated against the group (generation and
 * member from v3, KIP-447) and kept pending until the transaction ends.
 */
public final class TxnOffsetCommitHandler implements ApiHandler {
    private static final short LEADER_EPOCH_VERSION = 2;
    private static final short GROUP_METADATA_VERSION = 3;
    /** Kafka's TxnOffsetCommitRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2. */
    private static final short LAST_VERSION_BEFORE_TRANSACTION_V2 = 4;

    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;

    public TxnOffsetCommitHandler(TransactionsUseCase transactions, TopicsUseCase topics) {
        this.transactions = transactions;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        TxnOffsetCommitRequestData request = (TxnOffsetCommitRequestData) message;
        short version = context.apiVersion();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData().setThrottleTimeMs(0);
        List<TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition> pending = new ArrayList<>();
        List<PartitionCommit> commits = new ArrayList<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic t : request.topics()) {
            Optional<Topic> topic = topics.find(t.name());
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse =
                    new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(t.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : t.partitions()) {
                TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition partition =
                        new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                if (topic.isEmpty() || !topic.get().hasPartition(p.partitionIndex())) {
                    partition.setErrorCode(ErrorCodes.code(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
                } else {
                    pending.add(partition);
                    commits.add(new PartitionCommit(topic.get(), p.partitionIndex(), p.committedOffset(),
                            version >= LEADER_EPOCH_VERSION ? p.committedLeaderEpoch() : -1,
                            p.committedMetadata() == null ? "" : p.committedMetadata()));
                }
                topicResponse.partitions().add(partition);
            }
            response.topics().add(topicResponse);
        }
        if (!commits.isEmpty()) {
            boolean member = version >= GROUP_METADATA_VERSION;
            OffsetCommitCommand command = new OffsetCommitCommand(request.groupId(), member ? request.memberId() : "",
                    member ? request.groupInstanceId() : null, member ? request.generationId() : -1, -1, commits, false);
            // v5 is KIP-890's transaction version 2: the commit adds the group to the transaction itself
            List<ErrorCode> errors = transactions.commitOffsets(request.transactionalId(), request.producerId(),
                    request.producerEpoch(), command, version > LAST_VERSION_BEFORE_TRANSACTION_V2);
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).setErrorCode(TxnErrors.code(errors.get(i), version, GROUP_METADATA_VERSION));
            }
        }
        return Response.of(response);
    }
}
