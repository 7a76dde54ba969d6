package dev.pgkafka.adapter.kafka.authz;

import static dev.pgkafka.adapter.kafka.authz.Contexts.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.api.configs.AlterConfigsHandler;
import dev.pgkafka.adapter.kafka.api.configs.DescribeConfigsHandler;
import dev.pgkafka.adapter.kafka.api.configs.IncrementalAlterConfigsHandler;
import dev.pgkafka.adapter.kafka.api.topics.CreatePartitionsHandler;
import dev.pgkafka.adapter.kafka.api.topics.CreateTopicsHandler;
import dev.pgkafka.adapter.kafka.api.topics.DeleteTopicsHandler;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/** CreateTopics, DeleteTopics, CreatePartitions and the config APIs with ACLs, as Kafka 4.3.1 answers them. */
class AdminAuthorizationTest {
    final ScriptedAuthorizer acls = new ScriptedAuthorizer()
            .allow("alice", AclOperation.CREATE, ResourceType.TOPIC, "make-a")
            .allow("alice", AclOperation.CREATE, ResourceType.TOPIC, "make-b")
            .allow("alice", AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "make-b")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "gone")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "mine")
            .allow("alice", AclOperation.DELETE, ResourceType.TOPIC, "mine")
            .allow("alice", AclOperation.ALTER, ResourceType.TOPIC, "mine");
    final AuthHelper auth = new AuthHelper(acls);
    final Fakes.Topics topics = new Fakes.Topics();
    final Topic known = topics.add("known", 1);
    final Topic secret = topics.add("secret", 1);
    final Topic mine = topics.add("mine", 1);
    final Fakes.TopicAdmin topicAdmin = new Fakes.TopicAdmin(topics);
    final Fakes.Configs configs = new Fakes.Configs();

    private static CreateTopicsRequestData.CreatableTopic creatable(String name) {
        return new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(1).setReplicationFactor((short) 1);
    }

    @Test
    void createTopicsNeedsCreateAndShowsConfigsOnlyWithDescribeConfigs() {
        CreateTopicsHandler handler = new CreateTopicsHandler(topics, configs, 1, auth);
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(1000);
        for (String n : List.of("secret2", "make-a", "make-b")) {
            request.topics().add(creatable(n));
        }
        CreateTopicsResponseData response = call(handler, "alice", 7, request);
        assertEquals(List.of("make-a", "make-b", "secret2"), response.topics().stream().map(t -> t.name()).toList(),
                "refused topics last, as Kafka's controller answers");

        CreateTopicsResponseData.CreatableTopicResult refused = response.topics().find("secret2");
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals("Authorization failed.", refused.errorMessage());
        assertEquals(Uuid.ZERO_UUID, refused.topicId());
        assertEquals(-1, refused.numPartitions());
        assertTrue(refused.configs().isEmpty());
        assertEquals(Errors.NONE.code(), refused.topicConfigErrorCode());

        CreateTopicsResponseData.CreatableTopicResult hidden = response.topics().find("make-a");
        assertEquals(Errors.NONE.code(), hidden.errorCode());
        assertFalse(Uuid.ZERO_UUID.equals(hidden.topicId()));
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), hidden.topicConfigErrorCode());
        assertEquals(-1, hidden.numPartitions());
        assertEquals(-1, hidden.replicationFactor());
        assertTrue(hidden.configs().isEmpty());

        CreateTopicsResponseData.CreatableTopicResult shown = response.topics().find("make-b");
        assertEquals(Errors.NONE.code(), shown.topicConfigErrorCode());
        assertEquals(1, shown.numPartitions());
        assertEquals(1, shown.configs().size());

        assertEquals(List.of("make-a", "make-b"), topics.created.stream().map(c -> c.name()).toList());
        // the cluster asked first and quietly, DESCRIBE_CONFIGS quietly: only secret2's CREATE is a logged denial
        assertEquals(1, acls.loggedDenials().size(), acls.loggedDenials().toString());
        assertEquals("secret2", acls.loggedDenials().getFirst().resourceName());

        acls.allowCluster("bob", AclOperation.CREATE);
        CreateTopicsResponseData bob = call(handler, "bob", 7,
                new CreateTopicsRequestData().setTopics(new CreateTopicsRequestData.CreatableTopicCollection(
                        List.of(creatable("anything")).iterator())));
        assertEquals(Errors.NONE.code(), bob.topics().find("anything").errorCode(), "CREATE on the cluster is enough");
    }

    @Test
    void deleteTopicsTellsOnlyWhatTheClientMayDescribe() {
        DeleteTopicsHandler handler = new DeleteTopicsHandler(topicAdmin, topics, auth);
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(1000);
        for (String n : List.of("known", "secret", "nope", "gone", "mine")) {
            request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(n));
        }
        Uuid unknown = Uuid.randomUuid();
        for (Uuid id : List.of(Uuids.toKafka(secret.id()), Uuids.toKafka(known.id()), unknown)) {
            request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(null).setTopicId(id));
        }
        DeleteTopicsResponseData response = call(handler, "alice", 6, request);
        List<DeleteTopicsResponseData.DeletableTopicResult> results = List.copyOf(response.responses());
        assertEquals(8, results.size());
        // by name: no DESCRIBE, or DESCRIBE without DELETE on an existing topic
        for (int i : new int[] {0, 1, 2}) {
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), results.get(i).errorCode(), results.get(i).name());
            assertEquals("Topic authorization failed.", results.get(i).errorMessage());
            assertEquals(Uuid.ZERO_UUID, results.get(i).topicId());
        }
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), results.get(3).errorCode(),
                "a missing topic the client may describe is unknown, also without DELETE");
        assertEquals("This server does not host this topic-partition.", results.get(3).errorMessage());
        assertEquals(Errors.NONE.code(), results.get(4).errorCode());
        assertEquals(Uuids.toKafka(mine.id()), results.get(4).topicId());
        // by id: the name only with DESCRIBE, unknown ids said so
        assertNull(results.get(5).name());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), results.get(5).errorCode());
        assertEquals("known", results.get(6).name());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), results.get(6).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), results.get(7).errorCode());
        assertEquals(List.of("mine"), topicAdmin.deleted);

        acls.allowCluster("bob", AclOperation.DELETE);
        DeleteTopicsResponseData bob = call(handler, "bob", 5, new DeleteTopicsRequestData().setTopicNames(List.of("secret")));
        assertEquals(Errors.NONE.code(), bob.responses().iterator().next().errorCode(), "DELETE on the cluster is enough");
    }

    @Test
    void createPartitionsNeedsAlterAndRefusesWithoutAMessage() {
        CreatePartitionsHandler handler = new CreatePartitionsHandler(topicAdmin, auth);
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(1000);
        for (String n : List.of("known", "nope", "mine")) {
            request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(n).setCount(2));
        }
        CreatePartitionsResponseData response = call(handler, "alice", 3, request);
        for (int i : new int[] {0, 1}) {
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), response.results().get(i).errorCode());
            assertNull(response.results().get(i).errorMessage());
        }
        assertEquals(Errors.NONE.code(), response.results().get(2).errorCode());
        assertEquals(List.of("mine"), topicAdmin.grown);
    }

    @Test
    void describeConfigsNeedsDescribeConfigsOnTheResourceOrTheCluster() {
        acls.allow("alice", AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, "mine");
        DescribeConfigsHandler handler = new DescribeConfigsHandler(configs, auth);
        DescribeConfigsRequestData request = new DescribeConfigsRequestData();
        request.resources().add(resource((byte) 2, "known"));
        request.resources().add(resource((byte) 4, "1"));
        request.resources().add(resource((byte) 2, "mine"));
        request.resources().add(resource((byte) 8, "1"));
        request.resources().add(resource((byte) 32, "g1"));
        DescribeConfigsResponseData response = call(handler, "alice", 4, request);
        assertEquals(List.of("mine", "known", "1", "1", "g1"), response.results().stream().map(r -> r.resourceName()).toList(),
                "refused resources after the others, as Kafka");
        assertEquals(Errors.NONE.code(), response.results().get(0).errorCode());
        assertExpected(response.results().get(1), Errors.TOPIC_AUTHORIZATION_FAILED);
        assertExpected(response.results().get(2), Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertExpected(response.results().get(3), Errors.CLUSTER_AUTHORIZATION_FAILED);
        assertExpected(response.results().get(4), Errors.GROUP_AUTHORIZATION_FAILED);
        assertEquals(1, configs.described.size());
    }

    private static void assertExpected(DescribeConfigsResponseData.DescribeConfigsResult result, Errors error) {
        assertEquals(error.code(), result.errorCode(), result.resourceName());
        assertEquals(error.message(), result.errorMessage());
        assertTrue(result.configs().isEmpty());
    }

    private static DescribeConfigsRequestData.DescribeConfigsResource resource(byte type, String name) {
        return new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type).setResourceName(name);
    }

    @Test
    void incrementalAlterConfigsNeedsAlterConfigsAndKeepsTheRequestOrder() {
        acls.allow("alice", AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, "mine");
        IncrementalAlterConfigsHandler handler = new IncrementalAlterConfigsHandler(configs, auth);
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
        for (Object[] r : new Object[][] {{(byte) 2, "known"}, {(byte) 4, ""}, {(byte) 8, "1"}, {(byte) 32, "g1"},
                {(byte) 2, "nope"}, {(byte) 2, "mine"}}) {
            request.resources().add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType((byte) r[0]).setResourceName((String) r[1]));
        }
        IncrementalAlterConfigsResponseData response = call(handler, "alice", 1, request);
        List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> out = response.responses();
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), out.get(0).errorCode());
        assertEquals("Topic authorization failed.", out.get(0).errorMessage());
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), out.get(1).errorCode());
        assertEquals("Cluster authorization failed.", out.get(1).errorMessage());
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), out.get(2).errorCode());
        assertNull(out.get(2).errorMessage(), "Kafka's broker refuses broker loggers without a message");
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), out.get(3).errorCode());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), out.get(4).errorCode(), "refused before existence");
        assertEquals(Errors.NONE.code(), out.get(5).errorCode());
        assertEquals(1, configs.altered.size());
    }

    @Test
    void legacyAlterConfigsNeedsAlterConfigs() {
        acls.allowCluster("alice", AclOperation.ALTER_CONFIGS);
        AlterConfigsHandler handler = new AlterConfigsHandler(configs, auth);
        AlterConfigsRequestData request = new AlterConfigsRequestData();
        request.resources().add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 2).setResourceName("known"));
        request.resources().add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 4).setResourceName("1"));
        request.resources().add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte) 32).setResourceName("g1"));
        AlterConfigsResponseData response = call(handler, "alice", 2, request);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), response.responses().get(0).errorCode());
        assertEquals("Topic authorization failed.", response.responses().get(0).errorMessage());
        assertEquals(Errors.NONE.code(), response.responses().get(1).errorCode(), "ALTER_CONFIGS on the cluster for brokers");
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), response.responses().get(2).errorCode());
        assertEquals("Group authorization failed.", response.responses().get(2).errorMessage());
        assertEquals(1, configs.replaced.size());
    }
}
