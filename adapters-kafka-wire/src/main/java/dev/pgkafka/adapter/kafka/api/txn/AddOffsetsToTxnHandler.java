package dev.pgkafka.adapter.kafka.api.txn;

import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;

/** AddOffsetsToTxn: the group's offsets (TxnOffsetCommit) will commit or abort with the transaction. */
public final class AddOffsetsToTxnHandler implements ApiHandler {
    private static final short FENCED_VERSION = 2;

    private final TransactionsUseCase transactions;

    public AddOffsetsToTxnHandler(TransactionsUseCase transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        AddOffsetsToTxnRequestData request = (AddOffsetsToTxnRequestData) message;
        ErrorCode error = request.groupId() == null || request.groupId().isEmpty() ? ErrorCode.INVALID_GROUP_ID
                : transactions.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.groupId());
        return Response.of(new AddOffsetsToTxnResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(error == ErrorCode.INVALID_GROUP_ID ? ErrorCodes.code(error)
                        : TxnErrors.code(error, context.apiVersion(), FENCED_VERSION)));
    }
}
