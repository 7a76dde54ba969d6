package dev.pgkafka.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase.TopicDescription;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.group.consumer.MemberState;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each resource shows only what the principal may DESCRIBE, as Kafka's handlers do: lists filtered
 * without logging denials, a named resource the principal may not describe is a 403 with Kafka's
 * error name whether it exists or not, and topics are left out inside groups and transactions.
 * Alice may describe the topics orders and payments-in, the groups billing and payments and the
 * transactional id tx-app; root may describe everything.
 */
@ServerTest
class HttpAuthorizationTest {
    private static final KafkaPrincipal ALICE = KafkaPrincipal.user("alice");
    private static final KafkaPrincipal ROOT = KafkaPrincipal.user("root");

    private static final Topic ORDERS = new Topic(new UUID(0, 1), "orders", 2, Map.of());
    private static final Topic PAYMENTS_IN = new Topic(new UUID(0, 2), "payments-in", 2, Map.of());
    private static final Topic SECRET = new Topic(new UUID(0, 3), "secret", 2, Map.of());

    private static final Fakes.FakeTopics TOPICS = new Fakes.FakeTopics();
    private static final Fakes.FakeAuthentication AUTHENTICATION = new Fakes.FakeAuthentication();
    private static final Fakes.FakeAuthorization AUTHORIZATION = new Fakes.FakeAuthorization();

    private static final GroupDescription BILLING = new GroupDescription("billing", GroupState.STABLE, "consumer",
            "range", 4, List.of(new GroupDescription.Member("m-1", null, "app", "/10.0.0.7", new byte[0], new byte[0]),
                    new GroupDescription.Member("m-2", null, "app", "/10.0.0.8", new byte[0], new byte[0])));
    private static final GroupDescription HIDDEN = new GroupDescription("hidden", GroupState.EMPTY, "consumer", "",
            0, List.of());
    private static final ConsumerGroupDescription PAYMENTS = new ConsumerGroupDescription("payments",
            ConsumerGroupState.STABLE, 5, 5, "uniform", List.of(new ConsumerGroupDescription.Member(
                    new ConsumerGroupMember("c-1", null, null, "app", "/10.0.0.9", List.of("payments-in", "secret"),
                            null, "uniform", 30_000, 5, 5, MemberState.STABLE,
                            Map.of(PAYMENTS_IN.id(), Set.of(0), SECRET.id(), Set.of(1)), Map.of()),
                    Map.of(PAYMENTS_IN.id(), Set.of(0), SECRET.id(), Set.of(1)))));

    private static final GroupsUseCase GROUPS = new GroupsUseCase() {
        @Override
        public Optional<GroupDescription> describeGroup(String groupId) {
            return overview().stream().filter(g -> g.groupId().equals(groupId) && g.group() != null)
                    .map(GroupOverview::group).findFirst();
        }

        @Override
        public Optional<String> groupType(String groupId) {
            return overview().stream().filter(g -> g.groupId().equals(groupId)).map(GroupOverview::type).findFirst();
        }

        @Override
        public List<GroupListing> listGroups(Collection<String> stateFilter, Collection<String> typeFilter) {
            return List.of();
        }

        @Override
        public ErrorCode deleteGroup(String groupId) {
            return ErrorCode.NONE;
        }

        @Override
        public List<GroupOverview> overview() {
            return List.of(
                    new GroupOverview(BILLING, List.of(
                            new PartitionOffset("orders", 0, 40, 42, 2, "", "m-1"),
                            new PartitionOffset("orders", 1, 5, 8, 3, "", "m-1"),
                            new PartitionOffset("secret", 0, 1, 101, 100, "", "m-2"))),
                    new GroupOverview(HIDDEN, List.of(new PartitionOffset("orders", 0, 1, 42, 41, "", null))),
                    new GroupOverview(null, List.of(
                            new PartitionOffset("payments-in", 0, 3, 10, 7, "", "c-1"),
                            new PartitionOffset("secret", 1, 0, 1000, 1000, "", "c-1")), PAYMENTS));
        }
    };

    private static final TransactionMetadata TX_APP = new TransactionMetadata("tx-app", 7, (short) 1, 60_000,
            TransactionState.ONGOING, new TreeSet<>(Set.of(new TopicIdPartition(ORDERS.id(), 0),
                    new TopicIdPartition(SECRET.id(), 1))), new TreeSet<>(Set.of("billing", "hidden")), 1, 2);
    private static final TransactionMetadata TX_HIDDEN = new TransactionMetadata("tx-hidden", 8, (short) 0, 60_000,
            TransactionState.EMPTY, new TreeSet<>(), new TreeSet<>(), -1, 2);

    private static final TransactionsUseCase TRANSACTIONS = new TransactionsUseCase() {
        @Override
        public List<TransactionMetadata> list(Set<String> states, Set<Long> producerIds, long minDurationMs,
                                              Predicate<String> idFilter) {
            return List.of(TX_APP, TX_HIDDEN);
        }

        @Override
        public Optional<TransactionMetadata> describe(String transactionalId) {
            return list(Set.of(), Set.of(), -1, null).stream().filter(m -> m.transactionalId().equals(transactionalId))
                    .findFirst();
        }

        @Override
        public ErrorCode addPartitions(String transactionalId, long producerId, short producerEpoch,
                                       Collection<TopicIdPartition> partitions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ErrorCode addOffsets(String transactionalId, long producerId, short producerEpoch, String groupId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public EndTxnResult endTransaction(String transactionalId, long producerId, short producerEpoch,
                                           boolean commit, boolean bumpEpoch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ErrorCode> commitOffsets(String transactionalId, long producerId, short producerEpoch,
                                             GroupOffsetsUseCase.OffsetCommitCommand command, boolean addGroup) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int transactionVersion() {
            return 2;
        }

        @Override
        public List<ProducerPartitionState> producers(TopicIdPartition partition) {
            return List.of();
        }
    };

    private final Http1Client client;

    HttpAuthorizationTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        AUTHENTICATION.passwords.put("alice", "alice-pw");
        AUTHENTICATION.passwords.put("root", "root-pw");
        AUTHORIZATION.allow(ALICE, ResourceType.TOPIC, "orders", "payments-in");
        AUTHORIZATION.allow(ALICE, ResourceType.GROUP, "billing", "payments");
        AUTHORIZATION.allow(ALICE, ResourceType.TRANSACTIONAL_ID, "tx-app");
        AUTHORIZATION.allow(ROOT, ResourceType.TOPIC, "orders", "payments-in", "secret");
        AUTHORIZATION.allow(ROOT, ResourceType.GROUP, "billing", "payments", "hidden");
        AUTHORIZATION.allow(ROOT, ResourceType.TRANSACTIONAL_ID, "tx-app", "tx-hidden");
        TOPICS.descriptions = List.of(description(ORDERS), description(PAYMENTS_IN), description(SECRET));
        HttpAdminServer.routing(routing, HttpAdminSettings.plain("localhost", 0)
                        .withAuthentication(AUTHENTICATION, true)
                        .withAuthorization(AUTHORIZATION),
                new Fakes.FakeHealth(), TOPICS, new Fakes.FakeCluster("cluster-x1", 7), GROUPS, TRANSACTIONS);
    }

    private static TopicDescription description(Topic topic) {
        return new TopicDescription(topic, List.of(new PartitionHead(0, 10, 10), new PartitionHead(0, 20, 20)));
    }

    @BeforeEach
    void reset() {
        AUTHORIZATION.asked.clear();
    }

    @Test
    void topicsAreListedOnlyWhenThePrincipalMayDescribeThem() {
        assertEquals(List.of("orders", "payments-in"), names(get("alice", "/api/v1/topics", Status.OK_200), "name"));
        assertEquals(List.of("orders", "payments-in", "secret"), names(get("root", "/api/v1/topics", Status.OK_200),
                "name"));
    }

    @Test
    void listingDoesNotLogDenialsButANamedResourceDoes() {
        get("alice", "/api/v1/topics", Status.OK_200);
        assertEquals(3, AUTHORIZATION.asked.size());
        assertTrue(AUTHORIZATION.asked.stream().allMatch(a -> a.action().operation() == AclOperation.DESCRIBE
                && a.action().logIfAllowed() && !a.action().logIfDenied()), AUTHORIZATION.asked.toString());

        AUTHORIZATION.asked.clear();
        get("alice", "/api/v1/topics/secret", Status.FORBIDDEN_403);
        assertEquals(1, AUTHORIZATION.asked.size());
        assertTrue(AUTHORIZATION.asked.getFirst().action().logIfDenied());
        assertEquals("secret", AUTHORIZATION.asked.getFirst().action().resourceName());
    }

    @Test
    void aTopicThePrincipalMayNotDescribeIs403WhetherItExistsOrNot() {
        JsonObject existing = (JsonObject) get("alice", "/api/v1/topics/secret", Status.FORBIDDEN_403);
        JsonObject missing = (JsonObject) get("alice", "/api/v1/topics/no-such-topic", Status.FORBIDDEN_403);
        assertEquals("TOPIC_AUTHORIZATION_FAILED", existing.getString("error"));
        assertEquals("TOPIC_AUTHORIZATION_FAILED", missing.getString("error"));
        assertEquals(existing.getString("message").replace("secret", "X"),
                missing.getString("message").replace("no-such-topic", "X"), "the same answer either way");
        // only a principal that may describe the name learns that it does not exist
        AUTHORIZATION.allow(ALICE, ResourceType.TOPIC, "gone");
        assertEquals("UNKNOWN_TOPIC", ((JsonObject) get("alice", "/api/v1/topics/gone", Status.NOT_FOUND_404))
                .getString("error"));
        assertEquals("orders", ((JsonObject) get("alice", "/api/v1/topics/orders", Status.OK_200)).getString("name"));
    }

    @Test
    void groupsAreListedOnlyWhenThePrincipalMayDescribeThem() {
        assertEquals(List.of("billing", "payments"), names(get("alice", "/api/v1/groups", Status.OK_200), "groupId"));
        assertEquals(List.of("billing", "hidden", "payments"), names(get("root", "/api/v1/groups", Status.OK_200),
                "groupId"));
    }

    @Test
    void aGroupThePrincipalMayNotDescribeIs403WhetherItExistsOrNot() {
        for (String group : List.of("hidden", "no-such-group")) {
            JsonObject body = (JsonObject) get("alice", "/api/v1/groups/" + group, Status.FORBIDDEN_403);
            assertEquals("GROUP_AUTHORIZATION_FAILED", body.getString("error"), group);
        }
        AUTHORIZATION.allow(ROOT, ResourceType.GROUP, "no-such-group");
        assertEquals("GROUP_ID_NOT_FOUND", ((JsonObject) get("root", "/api/v1/groups/no-such-group",
                Status.NOT_FOUND_404)).getString("error"));
    }

    @Test
    void insideAClassicGroupOnlyTopicsThePrincipalMayDescribeAppear() {
        JsonObject billing = (JsonObject) get("alice", "/api/v1/groups/billing", Status.OK_200);
        JsonArray offsets = billing.getJsonArray("offsets");
        assertEquals(List.of("orders", "orders"), names(offsets, "topic"));
        assertEquals(5, billing.getJsonNumber("totalLag").longValue(), "the lag of what alice sees");
        JsonArray members = billing.getJsonArray("members");
        assertEquals(List.of("orders-0", "orders-1"), strings(members.getJsonObject(0).getJsonArray("partitions")));
        assertEquals(List.of(), strings(members.getJsonObject(1).getJsonArray("partitions")));
        assertFalse(billing.toString().contains("secret"), billing.toString());

        JsonObject all = (JsonObject) get("root", "/api/v1/groups/billing", Status.OK_200);
        assertEquals(105, all.getJsonNumber("totalLag").longValue());
        assertEquals(List.of("secret-0"), strings(all.getJsonArray("members").getJsonObject(1).getJsonArray("partitions")));
    }

    @Test
    void insideAConsumerGroupOnlyTopicsThePrincipalMayDescribeAppear() {
        JsonObject payments = (JsonObject) get("alice", "/api/v1/groups/payments", Status.OK_200);
        assertEquals(List.of("payments-in"), names(payments.getJsonArray("offsets"), "topic"));
        assertEquals(7, payments.getJsonNumber("totalLag").longValue());
        JsonObject member = payments.getJsonArray("members").getJsonObject(0);
        assertEquals(List.of("payments-in"), strings(member.getJsonArray("subscribedTopicNames")));
        assertEquals(List.of("payments-in-0"), strings(member.getJsonArray("partitions")));
        assertEquals(List.of("payments-in-0"), strings(member.getJsonArray("targetPartitions")));
        assertFalse(payments.toString().contains("secret"), payments.toString());

        // the same filtering in the list
        JsonArray listed = (JsonArray) get("alice", "/api/v1/groups", Status.OK_200);
        assertFalse(listed.toString().contains("secret"), listed.toString());

        JsonObject all = (JsonObject) get("root", "/api/v1/groups/payments", Status.OK_200);
        assertEquals(List.of("payments-in", "secret"), strings(all.getJsonArray("members").getJsonObject(0)
                .getJsonArray("subscribedTopicNames")));
    }

    @Test
    void transactionsAreListedOnlyWhenThePrincipalMayDescribeTheirIds() {
        assertEquals(List.of("tx-app"), names(get("alice", "/api/v1/transactions", Status.OK_200), "transactionalId"));
        assertEquals(List.of("tx-app", "tx-hidden"), names(get("root", "/api/v1/transactions", Status.OK_200),
                "transactionalId"));
    }

    @Test
    void aTransactionalIdThePrincipalMayNotDescribeIs403WhetherItExistsOrNot() {
        for (String id : List.of("tx-hidden", "tx-none")) {
            JsonObject body = (JsonObject) get("alice", "/api/v1/transactions/" + id, Status.FORBIDDEN_403);
            assertEquals("TRANSACTIONAL_ID_AUTHORIZATION_FAILED", body.getString("error"), id);
        }
        AUTHORIZATION.allow(ROOT, ResourceType.TRANSACTIONAL_ID, "tx-none");
        assertEquals("TRANSACTIONAL_ID_NOT_FOUND", ((JsonObject) get("root", "/api/v1/transactions/tx-none",
                Status.NOT_FOUND_404)).getString("error"));
    }

    @Test
    void insideATransactionOnlyTopicsAndGroupsThePrincipalMayDescribeAppear() {
        JsonObject tx = (JsonObject) get("alice", "/api/v1/transactions/tx-app", Status.OK_200);
        assertEquals(List.of("orders"), names(tx.getJsonArray("partitions"), "topic"));
        assertEquals(List.of("billing"), strings(tx.getJsonArray("groups")));

        JsonObject all = (JsonObject) get("root", "/api/v1/transactions/tx-app", Status.OK_200);
        assertEquals(List.of("orders", "secret"), names(all.getJsonArray("partitions"), "topic"));
        assertEquals(List.of("billing", "hidden"), strings(all.getJsonArray("groups")));
    }

    @Test
    void theClusterNeedsOnlyAnAuthenticatedPrincipal() {
        AUTHENTICATION.passwords.put("nobody", "nobody-pw");
        JsonObject cluster = (JsonObject) get("nobody", "/api/v1/cluster", Status.OK_200);
        assertEquals("cluster-x1", cluster.getString("clusterId"));
        assertTrue(AUTHORIZATION.asked.isEmpty(), "DescribeCluster needs no ACL: " + AUTHORIZATION.asked);
    }

    @Test
    void aPrincipalWithoutAnyAclSeesEmptyLists() {
        AUTHENTICATION.passwords.put("nobody", "nobody-pw");
        for (String path : List.of("/api/v1/topics", "/api/v1/groups", "/api/v1/transactions")) {
            assertEquals(0, ((JsonArray) get("nobody", path, Status.OK_200)).size(), path);
        }
    }

    private JsonStructure get(String user, String path, Status expected) {
        String credentials = user + ":" + AUTHENTICATION.passwords.get(user);
        try (Http1ClientResponse response = client.get(path).header(HeaderNames.AUTHORIZATION,
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))).request()) {
            String text = response.as(String.class);
            assertEquals(expected, response.status(), path + ": " + text);
            try (var reader = Json.createReader(new StringReader(text))) {
                return reader.read();
            }
        }
    }

    private static List<String> names(JsonStructure array, String field) {
        return ((JsonArray) array).stream().map(JsonValue::asJsonObject).map(o -> o.getString(field)).toList();
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
