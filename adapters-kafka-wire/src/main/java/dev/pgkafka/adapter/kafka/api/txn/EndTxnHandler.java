package dev.pgkafka.adapter.kafka.api.txn;

import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;

/**
 * EndTxn: answered once the markers are written. v5 (KIP-890's transaction version 2) also answers
 * the producer id and epoch; this broker does not finalize {@code transaction.version} 2, so clients
 * send v5 only when they would anyway, and it gets the id and epoch unchanged (no epoch bump per
 * transaction, see docs/adr/0011-transactions.md).
 */
public final class EndTxnHandler implements ApiHandler {
    private static final short FENCED_VERSION = 2;

    private final TransactionsUseCase transactions;

    public EndTxnHandler(TransactionsUseCase transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        EndTxnRequestData request = (EndTxnRequestData) message;
        ErrorCode error = transactions.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(),
                request.committed());
        EndTxnResponseData response = new EndTxnResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(TxnErrors.code(error, context.apiVersion(), FENCED_VERSION));
        if (error == ErrorCode.NONE) {
            response.setProducerId(request.producerId()).setProducerEpoch(request.producerEpoch());
        }
        return Response.of(response);
    }
}
