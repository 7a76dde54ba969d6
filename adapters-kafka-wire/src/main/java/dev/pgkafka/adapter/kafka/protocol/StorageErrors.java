package dev.pgkafka.adapter.kafka.protocol;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.application.port.out.StorageUnavailableException;

/**
 * What a request answers when the storage is unavailable (PostgreSQL down, restarting, unreachable,
 * out of disk space): the retriable error Kafka's own broker gives in the matching situation, so that
 * stock clients wait and retry instead of failing or spinning.
 *
 * <ul>
 *   <li>Partition data (Produce, Fetch, ListOffsets, DeleteRecords, DescribeProducers):
 *       {@code KAFKA_STORAGE_ERROR}, Kafka's answer when a log directory is offline. Producers retry the
 *       batch (the idempotent producer with its sequence, so a batch whose commit did happen is
 *       recognised as a duplicate and answered with its offsets); consumers refresh metadata and fetch
 *       again.</li>
 *   <li>Group and transaction coordinators: {@code COORDINATOR_NOT_AVAILABLE}, Kafka's answer while
 *       its coordinator partition is offline; clients look the coordinator up again and retry.
 *       InitProducerId of an idempotent producer (no transactional id, no coordinator):
 *       {@code COORDINATOR_LOAD_IN_PROGRESS}, Kafka's answer while it cannot hand out producer ids;
 *       the producer retries.</li>
 *   <li>Metadata changes Kafka's controller makes (CreateTopics, DeleteTopics, CreatePartitions, configs,
 *       ACLs, SCRAM users): {@code NOT_CONTROLLER}, Kafka's answer while its controller quorum has no
 *       leader; the admin client refreshes metadata and retries until its API timeout.</li>
 *   <li>Metadata: {@code LEADER_NOT_AVAILABLE} on each topic and no brokers, an answer clients ignore
 *       (they ask again after their backoff).</li>
 *   <li>Anything else: {@code REQUEST_TIMED_OUT}, retriable.</li>
 * </ul>
 */
public final class StorageErrors {
    private StorageErrors() {
    }

    /** The error for a request of this API that failed because the storage is unavailable. */
    public static Errors forRequest(ApiKeys api, ApiMessage request) {
        return switch (api) {
            case PRODUCE, FETCH, LIST_OFFSETS, DELETE_RECORDS, DESCRIBE_PRODUCERS, OFFSET_FOR_LEADER_EPOCH ->
                    Errors.KAFKA_STORAGE_ERROR;
            case FIND_COORDINATOR, JOIN_GROUP, SYNC_GROUP, HEARTBEAT, LEAVE_GROUP, OFFSET_COMMIT, OFFSET_FETCH,
                 DESCRIBE_GROUPS, LIST_GROUPS, DELETE_GROUPS, OFFSET_DELETE, CONSUMER_GROUP_HEARTBEAT,
                 CONSUMER_GROUP_DESCRIBE, ADD_PARTITIONS_TO_TXN, ADD_OFFSETS_TO_TXN, END_TXN, TXN_OFFSET_COMMIT,
                 DESCRIBE_TRANSACTIONS, LIST_TRANSACTIONS -> Errors.COORDINATOR_NOT_AVAILABLE;
            case INIT_PRODUCER_ID -> request instanceof InitProducerIdRequestData d && d.transactionalId() != null
                    ? Errors.COORDINATOR_NOT_AVAILABLE : Errors.COORDINATOR_LOAD_IN_PROGRESS;
            case CREATE_TOPICS, DELETE_TOPICS, CREATE_PARTITIONS, ALTER_CONFIGS, INCREMENTAL_ALTER_CONFIGS, CREATE_ACLS,
                 DELETE_ACLS, ALTER_USER_SCRAM_CREDENTIALS -> Errors.NOT_CONTROLLER;
            case METADATA -> Errors.LEADER_NOT_AVAILABLE;
            default -> Errors.REQUEST_TIMED_OUT;
        };
    }

    /** The exception to build the answer from: the error's own, with a message that names no host or secret. */
    public static ApiException exception(ApiKeys api, ApiMessage request, StorageUnavailableException cause) {
        return forRequest(api, request).exception("The storage is " + cause.reason().text() + "; retry later");
    }

    /** The storage outage behind a failure, or null when it is something else. */
    public static StorageUnavailableException unavailability(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageUnavailableException u) {
                return u;
            }
        }
        return null;
    }
}
