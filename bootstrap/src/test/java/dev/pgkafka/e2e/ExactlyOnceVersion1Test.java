package dev.pgkafka.e2e;

import dev.pgkafka.bootstrap.BrokerOptions;

/** Exactly-once across a crash with {@code --transaction-version 1} (AddPartitionsToTxn, AddOffsetsToTxn). */
class ExactlyOnceVersion1Test extends ExactlyOnceTest {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return super.options(jdbcUrl).withTransactionVersion(1);
    }
}
