package dev.pgkafka.adapter.kafka.api.txn;

import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase.EndTxnResult;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * EndTxn: answered once the markers are written. v5 is KIP-890's transaction version 2: the epoch is
 * bumped with the markers and the answer carries the producer id and epoch to continue with (see
 * docs/adr/0011-transactions.md). Needs WRITE on the transactional id
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED otherwise, producer id and epoch -1), as Kafka.
 */
public final class EndTxnHandler implements ApiHandler {
    private static final short FENCED_VERSION = 2;
    /** Kafka's EndTxnRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2. */
    private static final short LAST_VERSION_BEFORE_TRANSACTION_V2 = 4;

    private final TransactionsUseCase transactions;
    private final AuthHelper auth;

    public EndTxnHandler(TransactionsUseCase transactions, AuthHelper auth) {
        this.transactions = transactions;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        EndTxnRequestData request = (EndTxnRequestData) message;
        if (!auth.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, request.transactionalId())) {
            return Response.of(new EndTxnResponseData().setThrottleTimeMs(0)
                    .setErrorCode(ErrorCodes.code(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)));
        }
        boolean bumpEpoch = context.apiVersion() > LAST_VERSION_BEFORE_TRANSACTION_V2;
        EndTxnResult result = transactions.endTransaction(request.transactionalId(), request.producerId(),
                request.producerEpoch(), request.committed(), bumpEpoch);
        EndTxnResponseData response = new EndTxnResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(TxnErrors.code(result.error(), context.apiVersion(), FENCED_VERSION));
        if (result.error() == ErrorCode.NONE) {
            response.setProducerId(result.producerId()).setProducerEpoch(result.producerEpoch());
        }
        return Response.of(response);
    }
}
