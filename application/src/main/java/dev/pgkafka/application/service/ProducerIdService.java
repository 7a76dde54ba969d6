package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;

import dev.pgkafka.application.port.in.InitProducerIdUseCase;
import dev.pgkafka.application.port.out.ProducerIdPort;
import dev.pgkafka.domain.error.ErrorCode;

/** Producer ids for idempotent producers: a fresh id at epoch 0 on every InitProducerId, as Kafka does. */
public final class ProducerIdService implements InitProducerIdUseCase {
    private static final System.Logger LOG = System.getLogger(ProducerIdService.class.getName());

    private final ProducerIdPort ids;

    public ProducerIdService(ProducerIdPort ids) {
        this.ids = ids;
    }

    @Override
    public ProducerIdResult initProducerId(String transactionalId, int transactionTimeoutMs, long producerId,
                                           short producerEpoch) {
        if (transactionalId != null) {
            return ProducerIdResult.error(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        try {
            return new ProducerIdResult(ErrorCode.NONE, ids.nextProducerId(), (short) 0);
        } catch (RuntimeException e) {
            if (StorageFailures.isOutage(e)) {
                // Kafka's answer while it cannot hand out producer ids; an idempotent producer has no
                // coordinator to look up again (COORDINATOR_NOT_AVAILABLE would have it look one up for no id)
                LOG.log(Level.DEBUG, "could not allocate a producer id: {0}", e.getMessage());
                return ProducerIdResult.error(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
            }
            LOG.log(Level.WARNING, "could not allocate a producer id: " + e, e);
            return ProducerIdResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        }
    }
}
