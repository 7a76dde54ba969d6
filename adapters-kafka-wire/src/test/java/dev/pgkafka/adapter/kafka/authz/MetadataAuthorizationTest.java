package dev.pgkafka.adapter.kafka.authz;

import static dev.pgkafka.adapter.kafka.authz.Contexts.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.api.cluster.DescribeClusterHandler;
import dev.pgkafka.adapter.kafka.api.metadata.MetadataHandler;
import dev.pgkafka.adapter.kafka.api.topics.DescribeTopicPartitionsHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/** Metadata, DescribeTopicPartitions and DescribeCluster with ACLs, against what Kafka 4.3.1 answers. */
class MetadataAuthorizationTest {
    /** READ, WRITE and DESCRIBE as KIP-430 bits, what Kafka 4.3.1 answered alice for such a topic. */
    static final int READ_WRITE_DESCRIBE = 280;
    /** Every cluster operation Kafka 4.3.1 answers a super user (no token operations). */
    static final int ALL_CLUSTER_OPERATIONS = 8096;

    final ScriptedAuthorizer acls = new ScriptedAuthorizer();
    final AuthHelper auth = new AuthHelper(acls);
    final Fakes.Topics topics = new Fakes.Topics();
    final Topic known = topics.add("known", 2);
    final Topic secret = topics.add("secret", 1);
    final BrokerEndpoint endpoint = new BrokerEndpoint(1, "localhost", 9092);
    final ClusterUseCase cluster = new ClusterUseCase() {
        @Override
        public String clusterId() {
            return "cluster";
        }

        @Override
        public int nodeId() {
            return 1;
        }
    };
    final MetadataHandler metadata = new MetadataHandler(topics, cluster, endpoint, auth);

    {
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.allow("alice", op, ResourceType.TOPIC, "known");
        }
        acls.allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "auto-x");
        acls.allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "make-x");
        acls.allow("alice", AclOperation.CREATE, ResourceType.TOPIC, "make-x");
        acls.allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "missing");
    }

    private static MetadataRequestData named(String... names) {
        MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true)
                .setIncludeTopicAuthorizedOperations(true);
        for (String n : names) {
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(n));
        }
        return request;
    }

    private static List<String> order(MetadataResponseData response) {
        return response.topics().stream().map(t -> t.name() == null ? "id:" + t.topicId() : t.name()).toList();
    }

    @Test
    void namedTopicsWithoutDescribeAreRefusedWithoutSayingWhetherTheyExist() {
        MetadataResponseData response = call(metadata, "alice", 12, named("known", "secret", "nope"));
        MetadataResponseTopic ok = response.topics().find("known");
        assertEquals(Errors.NONE.code(), ok.errorCode());
        assertEquals(2, ok.partitions().size());
        assertEquals(READ_WRITE_DESCRIBE, ok.topicAuthorizedOperations());
        for (String refused : List.of("secret", "nope")) {
            MetadataResponseTopic t = response.topics().find(refused);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), t.errorCode(), refused);
            assertEquals(Uuid.ZERO_UUID, t.topicId(), "no topic id for " + refused);
            assertTrue(t.partitions().isEmpty());
            assertEquals(AuthHelper.NOT_REQUESTED, t.topicAuthorizedOperations());
        }
        assertEquals(2, acls.loggedDenials().size(), "both refusals of named topics are logged");
    }

    @Test
    void aListingOfAllTopicsLeavesOutTheOthersWithoutLoggingDenials() {
        MetadataResponseData response = call(metadata, "alice", 12,
                new MetadataRequestData().setTopics(null).setIncludeTopicAuthorizedOperations(true));
        assertEquals(List.of("known"), order(response));
        assertEquals(READ_WRITE_DESCRIBE, response.topics().find("known").topicAuthorizedOperations());
        assertTrue(acls.loggedDenials().isEmpty(), acls.loggedDenials().toString());

        MetadataResponseData v0 = call(metadata, "alice", 0, new MetadataRequestData());
        assertEquals(List.of("known"), order(v0), "an empty list is every topic in v0");
    }

    @Test
    void autoCreationNeedsCreateOnTheClusterOrTheTopic() {
        topics.autoCreate = true;
        MetadataResponseData response = call(metadata, "alice", 12, named("auto-x", "make-x", "secret", "known"));
        // Kafka's order: described, refused creation, refused description
        assertEquals(List.of("make-x", "known", "auto-x", "secret"), order(response));
        MetadataResponseTopic refused = response.topics().find("auto-x");
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(Uuid.ZERO_UUID, refused.topicId());
        assertEquals(List.of("make-x"), topics.autoCreated);
        assertEquals(Errors.NONE.code(), response.topics().find("make-x").errorCode());
        // the cluster was asked first, quietly
        assertTrue(acls.wasAsked(AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME));
        assertFalse(acls.loggedDenials().stream().anyMatch(a -> a.resourceType() == ResourceType.CLUSTER));

        acls.allowCluster("bob", AclOperation.CREATE);
        acls.allow("bob", AclOperation.DESCRIBE, ResourceType.TOPIC, "bobs");
        MetadataResponseData bob = call(metadata, "bob", 12, named("bobs"));
        assertEquals(Errors.NONE.code(), bob.topics().find("bobs").errorCode(), "CREATE on the cluster is enough");
    }

    @Test
    void withoutAutoCreationAMissingTopicIsUnknownNotRefused() {
        MetadataResponseData response = call(metadata, "alice", 12, named("auto-x", "missing"));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.topics().find("auto-x").errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.topics().find("missing").errorCode());
        assertFalse(acls.wasAsked(AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME));

        topics.autoCreate = true;
        MetadataResponseData notAllowed = call(metadata, "alice", 12, named("auto-x").setAllowAutoTopicCreation(false));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), notAllowed.topics().find("auto-x").errorCode());
    }

    @Test
    void topicsAskedByIdAreRefusedWithTheirIdButNoName() {
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setTopicId(Uuids.toKafka(secret.id())).setName(null));
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setTopicId(Uuids.toKafka(known.id())).setName(null));
        Uuid unknown = Uuid.randomUuid();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setTopicId(unknown).setName(null));
        MetadataResponseData response = call(metadata, "alice", 12, request);
        List<MetadataResponseTopic> answered = List.copyOf(response.topics());
        assertEquals(3, answered.size());
        MetadataResponseTopic first = answered.get(0);
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), first.errorCode(), "unknown ids come first, as Kafka");
        assertEquals(unknown, first.topicId());
        assertEquals("known", answered.get(1).name());
        MetadataResponseTopic refused = answered.get(2);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertNull(refused.name());
        assertEquals(Uuids.toKafka(secret.id()), refused.topicId());
    }

    @Test
    void clusterOperationsNeedDescribeOnTheCluster() {
        MetadataRequestData ask = new MetadataRequestData().setIncludeClusterAuthorizedOperations(true);
        assertEquals(0, ((MetadataResponseData) call(metadata, "alice", 10, ask)).clusterAuthorizedOperations());
        acls.allowCluster("bob", AclOperation.DESCRIBE);
        assertEquals(256, ((MetadataResponseData) call(metadata, "bob", 10, ask)).clusterAuthorizedOperations());
        assertEquals(AuthHelper.NOT_REQUESTED, ((MetadataResponseData) call(metadata, "bob", 12, ask))
                .clusterAuthorizedOperations(), "v11 dropped the field");
        MetadataHandler open = new MetadataHandler(topics, cluster, endpoint, AuthHelper.allowAll());
        assertEquals(ALL_CLUSTER_OPERATIONS, ((MetadataResponseData) call(open, "anyone", 10, ask))
                .clusterAuthorizedOperations());
    }

    @Test
    void describeClusterAnswersOperationsOnlyWithDescribeAndControllersNeedAlter() {
        DescribeClusterHandler handler = new DescribeClusterHandler(cluster, endpoint, auth);
        DescribeClusterRequestData ask = new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true);
        DescribeClusterResponseData alice = call(handler, "alice", 1, ask);
        assertEquals(Errors.NONE.code(), alice.errorCode(), "a broker asks nothing for DescribeCluster");
        assertEquals(1, alice.brokers().size());
        assertEquals(0, alice.clusterAuthorizedOperations());
        acls.allowCluster("bob", AclOperation.DESCRIBE);
        acls.allowCluster("bob", AclOperation.ALTER);
        assertEquals(256 | 128, ((DescribeClusterResponseData) call(handler, "bob", 1, ask)).clusterAuthorizedOperations());
        DescribeClusterRequestData fromController = new DescribeClusterRequestData().setEndpointType((byte) 2);
        DescribeClusterResponseData refused = call(handler, "alice", 1, fromController);
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertTrue(refused.brokers().isEmpty());
        assertEquals(Errors.NONE.code(), ((DescribeClusterResponseData) call(handler, "bob", 1, fromController)).errorCode());
    }

    @Test
    void describeTopicPartitionsHidesOrRefusesAsKafka() {
        DescribeTopicPartitionsHandler handler = new DescribeTopicPartitionsHandler(topics, endpoint, auth);
        DescribeTopicPartitionsResponseData all = call(handler, "alice", 0, new DescribeTopicPartitionsRequestData());
        assertEquals(List.of("known"), all.topics().stream().map(t -> t.name()).toList());
        assertEquals(READ_WRITE_DESCRIBE, all.topics().find("known").topicAuthorizedOperations());
        assertTrue(acls.loggedDenials().isEmpty());

        DescribeTopicPartitionsRequestData named = new DescribeTopicPartitionsRequestData();
        for (String n : List.of("secret", "missing", "known", "nope")) {
            named.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(n));
        }
        DescribeTopicPartitionsResponseData response = call(handler, "alice", 0, named);
        assertEquals(List.of("known", "missing", "nope", "secret"), response.topics().stream().map(t -> t.name()).toList(),
                "described topics in name order, then the refused ones");
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.topics().find("missing").errorCode());
        assertEquals(256, response.topics().find("missing").topicAuthorizedOperations(),
                "a missing topic the client may describe carries its operations, as in Kafka 4.3.1");
        for (String refused : List.of("secret", "nope")) {
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), response.topics().find(refused).errorCode());
            assertEquals(Uuid.ZERO_UUID, response.topics().find(refused).topicId());
            assertEquals(AuthHelper.NOT_REQUESTED, response.topics().find(refused).topicAuthorizedOperations());
        }
    }
}
