package dev.pgkafka.application.port.in;

import java.time.Duration;
import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.Topic;

/** Read partition logs, waiting for data when there is not enough yet. */
public interface FetchUseCase {

    /**
     * Reads from every partition of the command. Returns as soon as at least {@code minBytes} are
     * available, an error occurred, or {@code maxWait} passed; results come in the command's order.
     */
    FetchResult fetch(FetchCommand command);

    record FetchCommand(List<PartitionFetch> partitions, int maxBytes, int minBytes, Duration maxWait,
                        IsolationLevel isolation) {
        public FetchCommand {
            partitions = List.copyOf(partitions);
        }
    }

    record PartitionFetch(Topic topic, int partition, long fetchOffset, int maxBytes) {
    }

    record FetchResult(List<PartitionData> partitions) {
    }

    /** One partition's answer: head is null when the partition is unknown. */
    record PartitionData(Topic topic, int partition, ErrorCode error, PartitionHead head, List<StoredRecord> records,
                         List<AbortedTransaction> abortedTransactions) {

        public int payloadSize() {
            int size = 0;
            for (StoredRecord r : records) {
                size += r.payloadSize();
            }
            return size;
        }
    }

    /** A transaction of {@code producerId} that was aborted and began at {@code firstOffset}. */
    record AbortedTransaction(long producerId, long firstOffset) {
    }
}
