package dev.pgkafka.application.port.in;

import dev.pgkafka.domain.error.ErrorCode;

/** Give a producer its id and epoch. */
public interface InitProducerIdUseCase {

    /**
     * @param transactionalId null for an idempotent producer
     * @param producerId      the producer's current id when it asks for an epoch bump, else -1
     * @param producerEpoch   the producer's current epoch when it asks for an epoch bump, else -1
     */
    ProducerIdResult initProducerId(String transactionalId, int transactionTimeoutMs, long producerId, short producerEpoch);

    record ProducerIdResult(ErrorCode error, long producerId, short producerEpoch) {
        public static ProducerIdResult error(ErrorCode error) {
            return new ProducerIdResult(error, -1L, (short) -1);
        }
    }
}
