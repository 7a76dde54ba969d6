package dev.pgkafka.application.port.out;

/** Hands out producer ids that are never reused, across restarts. */
public interface ProducerIdPort {
    long nextProducerId();
}
