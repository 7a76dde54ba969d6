package dev.pgkafka.adapter.kafka.api.txn;

import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * AddOffsetsToTxn: the group's offsets (TxnOffsetCommit) will commit or abort with the transaction.
 * Needs WRITE on the transactional id, then READ on the group, as Kafka
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED, GROUP_AUTHORIZATION_FAILED otherwise).
 */
public final class AddOffsetsToTxnHandler implements ApiHandler {
    private static final short FENCED_VERSION = 2;

    private final TransactionsUseCase transactions;
    private final AuthHelper auth;

    public AddOffsetsToTxnHandler(TransactionsUseCase transactions, AuthHelper auth) {
        this.transactions = transactions;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        AddOffsetsToTxnRequestData request = (AddOffsetsToTxnRequestData) message;
        if (!auth.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return refuse(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return refuse(ErrorCode.GROUP_AUTHORIZATION_FAILED);
        }
        ErrorCode error = request.groupId() == null || request.groupId().isEmpty() ? ErrorCode.INVALID_GROUP_ID
                : transactions.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(),
                        request.groupId());
        return Response.of(new AddOffsetsToTxnResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(error == ErrorCode.INVALID_GROUP_ID ? ErrorCodes.code(error)
                        : TxnErrors.code(error, context.apiVersion(), FENCED_VERSION)));
    }

    private static Response refuse(ErrorCode error) {
        return Response.of(new AddOffsetsToTxnResponseData().setThrottleTimeMs(0).setErrorCode(ErrorCodes.code(error)));
    }
}
