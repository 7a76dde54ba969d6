package dev.pgkafka.adapter.kafka.api.txn;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.regex.Re2jRegexEngine;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.regex.ClientRegex;
import dev.pgkafka.domain.regex.InvalidRegexException;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;

/**
 * ListTransactions: filters by state (unknown names are reported back), producer id, duration (v1+)
 * and transactional id pattern (v2+; compiled with RE2/J and matched against whole ids, as Kafka; a bad
 * pattern, or one longer than {@link ClientRegex#MAX_LENGTH}, answers INVALID_REGULAR_EXPRESSION). Only the
 * transactional ids the client may DESCRIBE are listed, as Kafka.
 */
public final class ListTransactionsHandler implements ApiHandler {
    private final TransactionsUseCase transactions;
    private final AuthHelper auth;

    public ListTransactionsHandler(TransactionsUseCase transactions, AuthHelper auth) {
        this.transactions = transactions;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        ListTransactionsRequestData request = (ListTransactionsRequestData) message;
        short version = context.apiVersion();
        ListTransactionsResponseData response = new ListTransactionsResponseData().setThrottleTimeMs(0);
        Set<String> states = new HashSet<>();
        for (String s : request.stateFilters()) {
            if (TransactionState.fromKafkaName(s).isEmpty()) {
                response.unknownStateFilters().add(s);
            }
            states.add(s);
        }
        if (!states.isEmpty() && response.unknownStateFilters().size() == states.size()) {
            return Response.of(response.setErrorCode((short) 0));
        }
        String pattern = version >= 2 ? request.transactionalIdPattern() : null;
        Predicate<String> idFilter;
        try {
            idFilter = pattern == null || pattern.isEmpty() ? null : ClientRegex.compile(Re2jRegexEngine.INSTANCE, pattern);
        } catch (InvalidRegexException e) {
            return Response.of(response.setErrorCode(ErrorCodes.code(ErrorCode.INVALID_REGULAR_EXPRESSION)));
        }
        List<TransactionMetadata> listed = transactions.list(states, new HashSet<>(request.producerIdFilters()),
                version >= 1 ? request.durationFilter() : -1L, idFilter);
        // the client named no transactional id: leaving one out is no denial worth logging
        Set<String> visible = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID,
                listed.stream().map(TransactionMetadata::transactionalId).toList(), true, false);
        for (TransactionMetadata m : listed) {
            if (!visible.contains(m.transactionalId())) {
                continue;
            }
            response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                    .setTransactionalId(m.transactionalId())
                    .setProducerId(m.producerId())
                    .setTransactionState(m.state().kafkaName()));
        }
        return Response.of(response.setErrorCode((short) 0));
    }
}
