package dev.pgkafka.adapter.kafka;

import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase;
import dev.pgkafka.application.port.in.FetchUseCase;
import dev.pgkafka.application.port.in.GroupMembershipUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.InitProducerIdUseCase;
import dev.pgkafka.application.port.in.ListOffsetsUseCase;
import dev.pgkafka.application.port.in.ProduceUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;

/** The use cases the Kafka protocol drives. */
public record KafkaUseCases(
        ClusterUseCase cluster,
        TopicsUseCase topics,
        ProduceUseCase produce,
        FetchUseCase fetch,
        ListOffsetsUseCase listOffsets,
        InitProducerIdUseCase producerIds,
        GroupMembershipUseCase groupMembership,
        GroupsUseCase groups,
        GroupOffsetsUseCase groupOffsets,
        ConsumerGroupsUseCase consumerGroups,
        AdminUseCases admin,
        TransactionsUseCase transactions,
        SecurityUseCases security,
        QuotaUseCases quotas) {

    /** Without client quotas. */
    public KafkaUseCases(ClusterUseCase cluster, TopicsUseCase topics, ProduceUseCase produce, FetchUseCase fetch,
                         ListOffsetsUseCase listOffsets, InitProducerIdUseCase producerIds,
                         GroupMembershipUseCase groupMembership, GroupsUseCase groups, GroupOffsetsUseCase groupOffsets,
                         ConsumerGroupsUseCase consumerGroups, AdminUseCases admin, TransactionsUseCase transactions,
                         SecurityUseCases security) {
        this(cluster, topics, produce, fetch, listOffsets, producerIds, groupMembership, groups, groupOffsets,
                consumerGroups, admin, transactions, security, QuotaUseCases.NONE);
    }
}
