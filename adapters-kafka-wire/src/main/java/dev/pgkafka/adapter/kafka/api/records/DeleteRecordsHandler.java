package dev.pgkafka.adapter.kafka.api.records;

import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.DeleteRecordsUseCase;
import dev.pgkafka.application.port.in.DeleteRecordsUseCase.DeleteRecordsResult;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * DeleteRecords: move partitions' log start offsets (the low watermark), -1 meaning the high watermark.
 * Each topic needs DELETE: refused ones answer TOPIC_AUTHORIZATION_FAILED (low watermark -1), whether or
 * not they exist, as Kafka.
 */
public final class DeleteRecordsHandler implements ApiHandler {
    private final DeleteRecordsUseCase deleteRecords;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public DeleteRecordsHandler(DeleteRecordsUseCase deleteRecords, TopicsUseCase topics, AuthHelper auth) {
        this.deleteRecords = deleteRecords;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DeleteRecordsRequestData request = (DeleteRecordsRequestData) message;
        DeleteRecordsResponseData response = new DeleteRecordsResponseData().setThrottleTimeMs(0);
        Set<String> deletable = auth.filterByAuthorized(context, AclOperation.DELETE, ResourceType.TOPIC,
                request.topics().stream().map(DeleteRecordsRequestData.DeleteRecordsTopic::name).toList());
        for (DeleteRecordsRequestData.DeleteRecordsTopic t : request.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult topicResult = response.topics().find(t.name());
            if (topicResult == null) {
                topicResult = new DeleteRecordsResponseData.DeleteRecordsTopicResult().setName(t.name());
                response.topics().add(topicResult);
            }
            boolean allowed = deletable.contains(t.name());
            Optional<Topic> topic = allowed && TopicNames.isValid(t.name()) ? topics.find(t.name()) : Optional.empty();
            for (DeleteRecordsRequestData.DeleteRecordsPartition p : t.partitions()) {
                DeleteRecordsResult result;
                if (!allowed) {
                    result = DeleteRecordsResult.failed(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
                } else {
                    result = topic.map(found -> deleteRecords.deleteRecords(found, p.partitionIndex(), p.offset()))
                            .orElseGet(() -> DeleteRecordsResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
                }
                topicResult.partitions().add(new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                        .setPartitionIndex(p.partitionIndex())
                        .setLowWatermark(result.lowWatermark())
                        .setErrorCode(ErrorCodes.code(result.error())));
            }
        }
        return Response.of(response);
    }
}
