package dev.pgkafka.adapter.kafka.api.quotas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClientQuotasResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.memory.InMemoryAclStore;
import dev.pgkafka.application.memory.InMemoryClientQuotaStore;
import dev.pgkafka.application.service.quota.ClientQuotaCache;
import dev.pgkafka.application.service.quota.ClientQuotaService;
import dev.pgkafka.application.service.security.AclCache;
import dev.pgkafka.application.service.security.AuthorizationService;
import dev.pgkafka.application.service.security.AuthorizerSettings;

/**
 * DescribeClientQuotas and AlterClientQuotas over the real services, at both versions, read back by
 * kafka-clients: the cluster permissions Kafka asks, per-entity answers, whole-request filter errors.
 */
class ClientQuotaHandlersTest {
    private static final byte EXACT = 0;
    private static final byte DEFAULT = 1;
    private static final byte ANY = 2;

    private final InMemoryClientQuotaStore store = new InMemoryClientQuotaStore();
    private final ClientQuotaService service = new ClientQuotaService(store, ClientQuotaCache.load(store),
            host -> host.equals("broker.example"));
    private final AuthHelper allowAll = AuthHelper.allowAll();

    @Test
    void alteredQuotasAreDescribedAtEveryVersion() throws Exception {
        for (short v = 0; v <= 1; v++) {
            AlterClientQuotasResponseData altered = roundTrip(new AlterClientQuotasHandler(service, allowAll), v, alter(
                    entry(entity("user", "alice"), set("producer_byte_rate", 1048576), set("request_percentage", 25)),
                    entry(entity("user", null, "client-id", null), set("consumer_byte_rate", 2048)),
                    entry(entity("ip", "broker.example"), set("connection_creation_rate", 5))));
            assertEquals(3, altered.entries().size());
            altered.entries().forEach(e -> assertEquals(Errors.NONE.code(), e.errorCode(), e.errorMessage()));
            assertEquals("user", altered.entries().get(0).entity().get(0).entityType());
            assertEquals("alice", altered.entries().get(0).entity().get(0).entityName());

            DescribeClientQuotasResponseData described = roundTrip(new DescribeClientQuotasHandler(service, allowAll), v,
                    describe(false, component("user", EXACT, "alice")));
            assertEquals(Errors.NONE.code(), described.errorCode());
            DescribeClientQuotasResponse parsed = new DescribeClientQuotasResponse(described);
            KafkaFutureImpl<Map<ClientQuotaEntity, Map<String, Double>>> future = new KafkaFutureImpl<>();
            parsed.complete(future);
            assertEquals(Map.of(new ClientQuotaEntity(Map.of("user", "alice")),
                    Map.of("producer_byte_rate", 1048576.0, "request_percentage", 25.0)), future.getNow(null));

            DescribeClientQuotasResponseData defaults = roundTrip(new DescribeClientQuotasHandler(service, allowAll), v,
                    describe(true, component("user", DEFAULT, null), component("client-id", ANY, null)));
            assertEquals(1, defaults.entries().size());
            assertNull(defaults.entries().get(0).entity().get(0).entityName(), "the default is a null name");
            assertEquals(2048.0, defaults.entries().get(0).values().get(0).value());

            DescribeClientQuotasResponseData ips = roundTrip(new DescribeClientQuotasHandler(service, allowAll), v,
                    describe(false, component("ip", ANY, null)));
            assertEquals(1, ips.entries().size());
        }
    }

    @Test
    void eachEntityIsAnsweredOnItsOwnWithKafkasMessages() {
        AlterClientQuotasResponseData altered = (AlterClientQuotasResponseData) new AlterClientQuotasHandler(service,
                allowAll).handle(context(ApiKeys.ALTER_CLIENT_QUOTAS, 1), alter(
                entry(entity("user", "alice"), set("producer_byte_rate", -5)),
                entry(entity("ip", "10.0.0.1", "user", "bob"), set("connection_creation_rate", 5)),
                entry(entity("ip", "nowhere.example"), set("connection_creation_rate", 5)),
                entry(entity("group", "g"), set("producer_byte_rate", 5)),
                entry(entity("client-id", "app"), set("consumer_byte_rate", 1.5)),
                entry(entity("client-id", "ok"), set("consumer_byte_rate", 100)))).body();
        List<String> messages = altered.entries().stream().map(e -> Errors.forCode(e.errorCode()) + ": " + e.errorMessage())
                .toList();
        assertEquals(List.of(
                "INVALID_REQUEST: Quota producer_byte_rate must be greater than 0",
                "INVALID_REQUEST: Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId",
                "INVALID_REQUEST: nowhere.example is not a valid IP or resolvable host.",
                "INVALID_REQUEST: Unhandled client quota entity type: group",
                "INVALID_REQUEST: consumer_byte_rate cannot be a fractional value.",
                "NONE: null"), messages);
        assertEquals(1, store.load().quotas().entities().size(), "only the valid entity is stored");
    }

    @Test
    void validateOnlyStoresNothing() {
        AlterClientQuotasRequestData request = alter(entry(entity("user", "alice"), set("producer_byte_rate", 10)));
        request.setValidateOnly(true);
        AlterClientQuotasResponseData altered = (AlterClientQuotasResponseData) new AlterClientQuotasHandler(service,
                allowAll).handle(context(ApiKeys.ALTER_CLIENT_QUOTAS, 1), request).body();
        assertEquals(Errors.NONE.code(), altered.entries().get(0).errorCode());
        assertEquals(0, store.version());
    }

    @Test
    void anInvalidFilterFailsTheWholeDescribe() {
        DescribeClientQuotasResponseData refused = roundTrip(new DescribeClientQuotasHandler(service, allowAll), 1,
                describe(false, component("user", ANY, null), component("ip", ANY, null)));
        assertEquals(Errors.INVALID_REQUEST.code(), refused.errorCode());
        assertEquals("Invalid entity filter component combination. IP filter component should not be used with "
                + "user or clientId filter component.", refused.errorMessage());
        assertNull(refused.entries());
        DescribeClientQuotasResponseData custom = roundTrip(new DescribeClientQuotasHandler(service, allowAll), 0,
                describe(false, component("group", ANY, null)));
        assertEquals(Errors.UNSUPPORTED_VERSION.code(), custom.errorCode());
        assertEquals("Unsupported entity type group", custom.errorMessage());
    }

    @Test
    void describeNeedsDescribeConfigsAndAlterNeedsAlterConfigsOnTheCluster() {
        AuthHelper nothingAllowed = new AuthHelper(new AuthorizationService(AclCache.load(new InMemoryAclStore()),
                AuthorizerSettings.enabled(Set.of())));
        DescribeClientQuotasResponseData described = roundTrip(new DescribeClientQuotasHandler(service, nothingAllowed), 1,
                describe(false));
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), described.errorCode());
        assertEquals("Cluster authorization failed.", described.errorMessage());
        assertNull(described.entries());

        AlterClientQuotasResponseData altered = roundTrip(new AlterClientQuotasHandler(service, nothingAllowed), 0, alter(
                entry(entity("user", "alice"), set("producer_byte_rate", 10)),
                entry(entity("client-id", null), set("producer_byte_rate", 10))));
        assertEquals(2, altered.entries().size());
        for (AlterClientQuotasResponseData.EntryData e : altered.entries()) {
            assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), e.errorCode());
            assertEquals("Cluster authorization failed.", e.errorMessage());
        }
        assertNull(altered.entries().get(1).entity().get(0).entityName(), "the entity as asked");
        assertEquals(0, store.version(), "nothing stored");
    }

    /** The handler's answer written at {@code version} and read back by kafka-clients. */
    @SuppressWarnings("unchecked")
    private static <T extends ApiMessage> T roundTrip(dev.pgkafka.adapter.kafka.protocol.ApiHandler handler, int version,
                                                     ApiMessage request) {
        ApiMessage body = handler.handle(context(handler.apiKey(), version), request).body();
        ByteBuffer frame = RequestDispatcher.serialize(7, handler.apiKey().responseHeaderVersion((short) version), body,
                (short) version);
        frame.position(4);
        org.apache.kafka.common.message.ResponseHeaderData header = new org.apache.kafka.common.message.ResponseHeaderData(
                new ByteBufferAccessor(frame), handler.apiKey().responseHeaderVersion((short) version));
        assertEquals(7, header.correlationId());
        return (T) AbstractResponse.parseResponse(handler.apiKey(), new ByteBufferAccessor(frame), (short) version).data();
    }

    private static RequestContext context(ApiKeys key, int version) {
        return new RequestContext(1, new InetSocketAddress("10.0.0.1", 5000), "test", key, (short) version, 7);
    }

    private static DescribeClientQuotasRequestData describe(boolean strict,
                                                            DescribeClientQuotasRequestData.ComponentData... components) {
        return new DescribeClientQuotasRequestData().setStrict(strict).setComponents(new ArrayList<>(List.of(components)));
    }

    private static DescribeClientQuotasRequestData.ComponentData component(String type, byte match, String name) {
        return new DescribeClientQuotasRequestData.ComponentData().setEntityType(type).setMatchType(match).setMatch(name);
    }

    private static AlterClientQuotasRequestData alter(AlterClientQuotasRequestData.EntryData... entries) {
        return new AlterClientQuotasRequestData().setEntries(new ArrayList<>(List.of(entries)));
    }

    private static AlterClientQuotasRequestData.EntryData entry(List<AlterClientQuotasRequestData.EntityData> entity,
                                                                AlterClientQuotasRequestData.OpData... ops) {
        return new AlterClientQuotasRequestData.EntryData().setEntity(entity).setOps(new ArrayList<>(List.of(ops)));
    }

    private static List<AlterClientQuotasRequestData.EntityData> entity(String... typeAndName) {
        List<AlterClientQuotasRequestData.EntityData> out = new ArrayList<>();
        for (int i = 0; i < typeAndName.length; i += 2) {
            out.add(new AlterClientQuotasRequestData.EntityData().setEntityType(typeAndName[i])
                    .setEntityName(typeAndName[i + 1]));
        }
        return out;
    }

    private static AlterClientQuotasRequestData.OpData set(String key, double value) {
        return new AlterClientQuotasRequestData.OpData().setKey(key).setValue(value).setRemove(false);
    }
}
