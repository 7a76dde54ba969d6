package dev.pgkafka.e2e;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * The same end-to-end transactions with {@code --transaction-version 1}: the stock producer then uses
 * AddPartitionsToTxn and AddOffsetsToTxn, and keeps its epoch across transactions.
 */
class TransactionsVersion1Test extends TransactionsTest {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return super.options(jdbcUrl).withTransactionVersion(1);
    }

    @Override
    protected int epochBumpPerTransaction() {
        return 0;
    }
}
