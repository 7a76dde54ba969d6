package dev.pgkafka.domain.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.quota.QuotaFilter.Component;

/** DescribeClientQuotas filters: Kafka's checks and messages, and which entities each kind of match selects. */
class QuotaFilterTest {
    private static final QuotaEntity ALICE = QuotaEntity.user("alice");
    private static final QuotaEntity BOB = QuotaEntity.user("bob");
    private static final QuotaEntity USER_DEFAULT = QuotaEntity.user(null);
    private static final QuotaEntity ALICE_APP = QuotaEntity.userAndClientId("alice", "app");
    private static final QuotaEntity ALICE_ANY_CLIENT = QuotaEntity.userAndClientId("alice", null);
    private static final QuotaEntity APP = QuotaEntity.clientId("app");
    private static final QuotaEntity IP = QuotaEntity.ip("10.0.0.1");
    private static final QuotaEntity IP_DEFAULT = QuotaEntity.ip(null);
    private static final List<QuotaEntity> ALL = List.of(ALICE, BOB, USER_DEFAULT, ALICE_APP, ALICE_ANY_CLIENT, APP, IP,
            IP_DEFAULT);

    @Test
    void matchesAsKafkaDescribesThem() {
        assertEquals(Set.copyOf(ALL), select(List.of(), false), "no component: everything");
        assertEquals(Set.of(), select(List.of(), true), "strict without components: nothing");
        assertEquals(Set.of(ALICE, ALICE_APP, ALICE_ANY_CLIENT), select(List.of(exact("user", "alice")), false));
        assertEquals(Set.of(ALICE), select(List.of(exact("user", "alice")), true));
        assertEquals(Set.of(USER_DEFAULT), select(List.of(dflt("user")), false));
        assertEquals(Set.of(ALICE, BOB, USER_DEFAULT, ALICE_APP, ALICE_ANY_CLIENT), select(List.of(any("user")), false),
                "any name, the default included");
        assertEquals(Set.of(ALICE, BOB, USER_DEFAULT), select(List.of(any("user")), true));
        assertEquals(Set.of(ALICE_APP, ALICE_ANY_CLIENT), select(List.of(exact("user", "alice"), any("client-id")), true));
        assertEquals(Set.of(ALICE_ANY_CLIENT), select(List.of(exact("user", "alice"), dflt("client-id")), false));
        assertEquals(Set.of(IP, IP_DEFAULT), select(List.of(any("ip")), false));
        assertEquals(Set.of(IP), select(List.of(exact("ip", "10.0.0.1")), true));
        assertEquals(Set.of(), select(List.of(exact("user", "carol")), false));
    }

    @Test
    void refusesWhatKafkaRefusesWithItsMessages() {
        assertProblem(ErrorCode.INVALID_REQUEST, "Invalid empty entity type.", List.of(exact("", "x")));
        assertProblem(ErrorCode.INVALID_REQUEST, "Entity type user cannot appear more than once in the filter.",
                List.of(exact("user", "a"), any("user")));
        assertProblem(ErrorCode.UNSUPPORTED_VERSION, "Unsupported entity type group", List.of(any("group")));
        assertProblem(ErrorCode.INVALID_REQUEST, "Request specified MATCH_TYPE_EXACT, but set match string to null.",
                List.of(new Component("user", QuotaFilter.MATCH_EXACT, null)));
        assertProblem(ErrorCode.INVALID_REQUEST,
                "Request specified MATCH_TYPE_DEFAULT, but also specified a match string.",
                List.of(new Component("user", QuotaFilter.MATCH_DEFAULT, "x")));
        assertProblem(ErrorCode.INVALID_REQUEST,
                "Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.",
                List.of(new Component("user", QuotaFilter.MATCH_SPECIFIED, "x")));
        assertProblem(ErrorCode.INVALID_REQUEST, "Unknown match type 7", List.of(new Component("user", 7, null)));
        assertProblem(ErrorCode.INVALID_REQUEST, "Invalid entity filter component combination. IP filter component "
                + "should not be used with user or clientId filter component.", List.of(any("ip"), dflt("client-id")));
    }

    private static Set<QuotaEntity> select(List<Component> components, boolean strict) {
        QuotaFilter.Parsed parsed = QuotaFilter.parse(components, strict);
        assertTrue(parsed.isValid(), String.valueOf(parsed.problem()));
        Map<QuotaEntity, Map<QuotaKey, Double>> m = ALL.stream().collect(Collectors.toMap(e -> e,
                e -> Map.of(e.isIp() ? QuotaKey.CONNECTION_CREATION_RATE : QuotaKey.PRODUCER_BYTE_RATE, 1.0)));
        return ClientQuotas.of(m).select(parsed.filter()).stream().map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    private static void assertProblem(ErrorCode error, String message, List<Component> components) {
        QuotaFilter.Parsed parsed = QuotaFilter.parse(components, false);
        assertEquals(new QuotaProblem(error, message), parsed.problem());
    }

    private static Component exact(String type, String name) {
        return new Component(type, QuotaFilter.MATCH_EXACT, name);
    }

    private static Component dflt(String type) {
        return new Component(type, QuotaFilter.MATCH_DEFAULT, null);
    }

    private static Component any(String type) {
        return new Component(type, QuotaFilter.MATCH_SPECIFIED, null);
    }
}
