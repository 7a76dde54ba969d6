package dev.pgkafka.adapter.kafka;

import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.application.port.in.DeleteRecordsUseCase;
import dev.pgkafka.application.port.in.TopicAdminUseCase;

/** The use cases Kafka's admin APIs drive (configs, topic deletion and partitions, DeleteRecords). */
public record AdminUseCases(ConfigsUseCase configs, TopicAdminUseCase topicAdmin, DeleteRecordsUseCase deleteRecords) {
}
