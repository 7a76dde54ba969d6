/**
 * Kafka transactions as plain Java: the coordinator's state machine for one transactional id
 * ({@link dev.pgkafka.domain.txn.TransactionMetadata}, Kafka's TransactionMetadata and its
 * transitions, with the error each illegal request gets), the commit and abort markers (control
 * records) written to the partitions, the last stable offset and the aborted-transaction index that
 * read_committed fetches use. Operations take the current time and return the next state; nothing
 * here knows threads, storage or the wire.
 */
package dev.pgkafka.domain.txn;
