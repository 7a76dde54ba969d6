package dev.pgkafka.domain.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.quota.QuotaAlterations.Alteration;
import dev.pgkafka.domain.quota.QuotaAlterations.Op;
import dev.pgkafka.domain.quota.QuotaAlterations.Plan;

/** AlterClientQuotas decided as Kafka's controller decides it, messages included. */
class QuotaAlterationsTest {
    private static final Predicate<String> RESOLVES = host -> !host.startsWith("nowhere");

    @Test
    void validChangesArePlannedAndApplied() {
        Plan plan = plan(ClientQuotas.EMPTY,
                alter(Map.of("user", "alice"), Op.set("producer_byte_rate", 1048576), Op.set("request_percentage", 12.5)),
                alter(entity("user", null, "client-id", null), Op.set("consumer_byte_rate", 2048)),
                alter(entity("ip", null), Op.set("connection_creation_rate", 10)),
                alter(Map.of("ip", "10.0.0.1"), Op.set("connection_creation_rate", 3)),
                alter(Map.of("ip", "::1"), Op.set("connection_creation_rate", 3)),
                alter(Map.of("client-id", "app"), Op.set("controller_mutation_rate", 0.5)));
        plan.outcomes().forEach(o -> assertNull(o.problem(), o.toString()));
        ClientQuotas after = QuotaAlterations.apply(ClientQuotas.EMPTY, plan.changes());
        assertEquals(Map.of(QuotaKey.PRODUCER_BYTE_RATE, 1048576.0, QuotaKey.REQUEST_PERCENTAGE, 12.5),
                after.valuesOf(QuotaEntity.user("alice")));
        assertEquals(Map.of(QuotaKey.CONSUMER_BYTE_RATE, 2048.0),
                after.valuesOf(QuotaEntity.userAndClientId(null, null)));
        assertEquals(Map.of(QuotaKey.CONNECTION_CREATION_RATE, 10.0), after.valuesOf(QuotaEntity.ip(null)));
        assertEquals(Map.of(QuotaKey.CONTROLLER_MUTATION_RATE, 0.5), after.valuesOf(QuotaEntity.clientId("app")));
        assertEquals(6, after.entities().size());
    }

    @Test
    void onlyRealChangesArePlanned() {
        ClientQuotas current = ClientQuotas.of(Map.of(QuotaEntity.user("alice"),
                Map.of(QuotaKey.PRODUCER_BYTE_RATE, 100.0, QuotaKey.CONSUMER_BYTE_RATE, 200.0)));
        Plan same = plan(current, alter(Map.of("user", "alice"), Op.set("producer_byte_rate", 100),
                Op.remove("request_percentage"), Op.remove("no_such_key")));
        assertNull(same.outcomes().getFirst().problem());
        assertEquals(Map.of(), same.changes(), "the same value, and removing what is not set, change nothing");

        Plan removal = plan(current, alter(Map.of("user", "alice"), Op.remove("producer_byte_rate"),
                Op.remove("consumer_byte_rate")));
        ClientQuotas after = QuotaAlterations.apply(current, removal.changes());
        assertTrue(after.isEmpty(), "an entity without values is gone: " + after);
    }

    @Test
    void entitiesAreRefusedWithKafkasMessages() {
        assertRefused("Invalid empty client quota entity", alter(Map.of(), Op.set("producer_byte_rate", 1)));
        assertRefused("Unhandled client quota entity type: group", alter(Map.of("group", "g"), Op.set("producer_byte_rate", 1)));
        assertRefused("Empty user not supported", alter(Map.of("user", ""), Op.set("producer_byte_rate", 1)));
        assertRefused("Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId",
                alter(entity("ip", "10.0.0.1", "user", "alice"), Op.set("connection_creation_rate", 1)));
        assertRefused("nowhere.invalid is not a valid IP or resolvable host.",
                alter(Map.of("ip", "nowhere.invalid"), Op.set("connection_creation_rate", 1)));
    }

    @Test
    void valuesAreRefusedWithKafkasMessages() {
        assertRefused("Invalid configuration key producer_rate", alter(Map.of("user", "a"), Op.set("producer_rate", 1)));
        assertRefused("Invalid configuration key connection_creation_rate",
                alter(Map.of("user", "a"), Op.set("connection_creation_rate", 1)));
        assertRefused("Invalid configuration key producer_byte_rate",
                alter(Map.of("ip", "10.0.0.1"), Op.set("producer_byte_rate", 1)));
        assertRefused("Quota producer_byte_rate must be greater than 0", alter(Map.of("user", "a"),
                Op.set("producer_byte_rate", 0)));
        assertRefused("Quota request_percentage must be greater than 0", alter(Map.of("user", "a"),
                Op.set("request_percentage", -1)));
        assertRefused("producer_byte_rate cannot be a fractional value.", alter(Map.of("user", "a"),
                Op.set("producer_byte_rate", 1.5)));
        assertRefused("connection_creation_rate cannot be a fractional value.", alter(Map.of("ip", "10.0.0.1"),
                Op.set("connection_creation_rate", 2.25)));
        assertRefused("Proposed value for connection_creation_rate is too large for an INT.",
                alter(Map.of("ip", "10.0.0.1"), Op.set("connection_creation_rate", 3e9)));
        assertRefused("Proposed value for consumer_byte_rate is too large for a LONG.", alter(Map.of("user", "a"),
                Op.set("consumer_byte_rate", 1e19)));
        Plan fractionalDouble = plan(ClientQuotas.EMPTY, alter(Map.of("user", "a"), Op.set("request_percentage", 0.001),
                Op.set("controller_mutation_rate", 1.5)));
        assertNull(fractionalDouble.outcomes().getFirst().problem());
    }

    @Test
    void aRefusedEntityChangesNothingWhileTheOthersApply() {
        Plan plan = plan(ClientQuotas.EMPTY,
                alter(Map.of("user", "a"), Op.set("producer_byte_rate", 10), Op.set("consumer_byte_rate", -1)),
                alter(Map.of("user", "b"), Op.set("producer_byte_rate", 10)));
        assertEquals("Quota consumer_byte_rate must be greater than 0", plan.outcomes().get(0).problem().message());
        assertNull(plan.outcomes().get(1).problem());
        assertEquals(Map.of(QuotaEntity.user("b"), Map.of(QuotaKey.PRODUCER_BYTE_RATE, 10.0)), plan.changes());
    }

    @Test
    void duplicatesAreAnsweredAsKafkaAnswersThem() {
        Plan twice = plan(ClientQuotas.EMPTY, alter(Map.of("user", "a"), Op.set("producer_byte_rate", 10)),
                alter(Map.of("user", "a"), Op.set("producer_byte_rate", 20)));
        assertEquals(1, twice.outcomes().size(), "one answer per entity");
        assertEquals("Ignoring duplicate entity ClientQuotaEntity(entries={user=a})",
                twice.outcomes().getFirst().problem().message());
        assertEquals(Map.of(QuotaEntity.user("a"), Map.of(QuotaKey.PRODUCER_BYTE_RATE, 10.0)), twice.changes(),
                "the first appearance still counts, as in Kafka");

        Plan keyTwice = plan(ClientQuotas.EMPTY, alter(Map.of("user", "a"), Op.set("producer_byte_rate", 10),
                Op.remove("producer_byte_rate")));
        assertEquals("Ignoring duplicate entity ClientQuotaEntity(entries={user=a})",
                keyTwice.outcomes().getFirst().problem().message());
        assertEquals(Map.of(), keyTwice.changes());
    }

    private static void assertRefused(String message, Alteration a) {
        Plan plan = plan(ClientQuotas.EMPTY, a);
        assertEquals(1, plan.outcomes().size());
        assertEquals(new QuotaProblem(dev.pgkafka.domain.error.ErrorCode.INVALID_REQUEST, message),
                plan.outcomes().getFirst().problem());
        assertEquals(Map.of(), plan.changes());
    }

    private static Plan plan(ClientQuotas current, Alteration... alterations) {
        return QuotaAlterations.plan(current, List.of(alterations), RESOLVES);
    }

    private static Alteration alter(Map<String, String> entity, Op... ops) {
        return new Alteration(entity, List.of(ops));
    }

    /** Entities with defaults (null names), which Map.of cannot hold. */
    private static Map<String, String> entity(String... typeAndName) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < typeAndName.length; i += 2) {
            m.put(typeAndName[i], typeAndName[i + 1]);
        }
        return new HashMap<>(m);
    }
}
