package dev.pgkafka.application.service.security.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.service.security.oauth.OAuthBearerSettings.Mode;
import dev.pgkafka.domain.security.oauth.JwtRules;

/** Kafka's property names and defaults, the mode choice, and what invalid values are told. */
class OAuthBearerSettingsTest {
    private static final String UNSECURED_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler";

    private static OAuthBearerSettings read(Map<String, String> properties) {
        return OAuthBearerSettings.fromProperties(properties, Map.of(), null, null);
    }

    private static String refused(Map<String, String> properties) {
        return assertThrows(IllegalArgumentException.class, () -> read(properties)).getMessage();
    }

    @Test
    void aJwksUrlMeansSignedTokensWithKafkasDefaults() {
        OAuthBearerSettings settings = read(Map.of("sasl.oauthbearer.jwks.endpoint.url", "https://idp.example/jwks"));
        assertEquals(Mode.JWKS, settings.mode());
        assertEquals(Optional.of(URI.create("https://idp.example/jwks")), settings.jwksEndpointUrl());
        assertEquals(3_600_000, settings.jwksEndpointRefreshMs());
        assertEquals(100, settings.jwksEndpointRetryBackoffMs());
        assertEquals(10_000, settings.jwksEndpointRetryBackoffMaxMs());
        assertEquals(JwtRules.defaults(), settings.jwtRules());
    }

    @Test
    void readsEveryKeyTheMechanismPrefixedOneFirst() {
        OAuthBearerSettings settings = read(Map.ofEntries(
                Map.entry("sasl.oauthbearer.jwks.endpoint.url", "https://broker-wide/jwks"),
                Map.entry("oauthbearer.sasl.oauthbearer.jwks.endpoint.url", "file:/etc/pgkafka/jwks.json"),
                Map.entry("sasl.oauthbearer.jwks.endpoint.refresh.ms", "60000"),
                Map.entry("sasl.oauthbearer.jwks.endpoint.retry.backoff.ms", "50"),
                Map.entry("sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms", "2000"),
                Map.entry("sasl.oauthbearer.clock.skew.seconds", "5"),
                Map.entry("sasl.oauthbearer.expected.audience", " kafka, ,pgkafka "),
                Map.entry("sasl.oauthbearer.expected.issuer", "https://idp.example"),
                Map.entry("sasl.oauthbearer.sub.claim.name", "client_id"),
                Map.entry("oauthbearer.sasl.oauthbearer.scope.claim.name", "scp"),
                Map.entry("oauthbearer.sasl.server.callback.handler.class",
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler")));
        assertEquals(Mode.JWKS, settings.mode());
        assertEquals(Optional.of(URI.create("file:/etc/pgkafka/jwks.json")), settings.jwksEndpointUrl());
        assertEquals(60_000, settings.jwksEndpointRefreshMs());
        assertEquals(50, settings.jwksEndpointRetryBackoffMs());
        assertEquals(2000, settings.jwksEndpointRetryBackoffMaxMs());
        assertEquals(new JwtRules(5, Set.of("kafka", "pgkafka"), Optional.of("https://idp.example"), "client_id", "scp",
                65536), settings.jwtRules());
        assertEquals(List.of("kafka", "pgkafka"), settings.expectedAudience());
    }

    @Test
    void unsecuredTokensOnlyWhenKafkasUnsecuredHandlerIsNamed() {
        OAuthBearerSettings settings = OAuthBearerSettings.fromProperties(
                Map.of("oauthbearer.sasl.server.callback.handler.class", UNSECURED_HANDLER),
                Map.of("unsecuredValidatorPrincipalClaimName", "user",
                        "unsecuredValidatorScopeClaimName", " ",
                        "unsecuredValidatorRequiredScope", "produce consume",
                        "unsecuredValidatorAllowableClockSkewMs", "250"), null, null);
        assertEquals(Mode.UNSECURED, settings.mode());
        assertEquals("user", settings.unsecured().principalClaimName());
        assertEquals("scope", settings.unsecured().scopeClaimName());
        assertEquals(List.of("produce", "consume"), settings.unsecured().requiredScope());
        assertEquals(250, settings.unsecured().allowableClockSkewMs());

        assertTrue(refused(Map.of()).startsWith("OAUTHBEARER needs sasl.oauthbearer.jwks.endpoint.url"),
                "Kafka would fall back to unsecured tokens silently; we refuse");
    }

    @Test
    void refusesOtherCallbackHandlersAndASecuredHandlerWithoutKeys() {
        assertTrue(refused(Map.of("oauthbearer.sasl.server.callback.handler.class", "com.example.MyHandler"))
                .contains("supports Kafka's OAuthBearerValidatorCallbackHandler and "
                        + "OAuthBearerUnsecuredValidatorCallbackHandler only"));
        assertTrue(refused(Map.of("oauthbearer.sasl.server.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler"))
                .startsWith("The OAuth configuration option sasl.oauthbearer.jwks.endpoint.url value must be non-null"));
    }

    @Test
    void refusesInvalidUrlsWithKafkasMessages() {
        assertEquals("The OAuth configuration option sasl.oauthbearer.jwks.endpoint.url contains a URL (ftp://x/jwks) "
                        + "that contains an invalid protocol (ftp); only \"http\", \"https\", and \"file\" protocol are supported",
                refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", "ftp://x/jwks")));
        assertTrue(refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", "idp/jwks")).endsWith("that is missing the protocol"));
        assertTrue(refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", "https://exa mple/")).contains("that is malformed"));
        assertTrue(refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", "https:/jwks")).contains("it has no host"));
        String withPassword = refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", "https://jwks:s3cret@idp/a b"));
        assertEquals("The OAuth configuration option sasl.oauthbearer.jwks.endpoint.url contains a URL "
                + "(https://***@idp/a b) that is malformed: Illegal character in path at index 25", withPassword);
    }

    @Test
    void honoursKafkasAllowListsWhenTheyAreSet() {
        Map<String, String> https = Map.of("sasl.oauthbearer.jwks.endpoint.url", "https://idp/jwks");
        Map<String, String> file = Map.of("sasl.oauthbearer.jwks.endpoint.url", "file:/etc/jwks.json");
        OAuthBearerSettings.fromProperties(https, Map.of(), "https://other, https://idp/jwks", null);
        OAuthBearerSettings.fromProperties(file, Map.of(), null, "/etc/jwks.json");
        assertEquals("Invalid value https://idp/jwks for configuration sasl.oauthbearer.jwks.endpoint.url: The URL cannot "
                        + "be accessed due to restrictions. Update the system property "
                        + "'org.apache.kafka.sasl.oauthbearer.allowed.urls' to allow the URL to be accessed.",
                assertThrows(IllegalArgumentException.class,
                        () -> OAuthBearerSettings.fromProperties(https, Map.of(), "", null)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> OAuthBearerSettings.fromProperties(file, Map.of(), null, "/etc/other.json"));
    }

    @Test
    void refusesInvalidNumbersNamingTheKey() {
        String url = "https://idp/jwks";
        assertEquals("Invalid value soon for configuration sasl.oauthbearer.jwks.endpoint.refresh.ms: "
                + "Not a number of type LONG", refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", url,
                "sasl.oauthbearer.jwks.endpoint.refresh.ms", "soon")));
        assertEquals("The OAuth configuration option sasl.oauthbearer.jwks.endpoint.refresh.ms value must be positive",
                refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", url, "sasl.oauthbearer.jwks.endpoint.refresh.ms", "0")));
        assertEquals("Invalid value 1.5 for configuration sasl.oauthbearer.clock.skew.seconds: Not a number of type INT",
                refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", url, "sasl.oauthbearer.clock.skew.seconds", "1.5")));
        assertEquals("The OAuth configuration option sasl.oauthbearer.clock.skew.seconds value must be at least 0",
                refused(Map.of("sasl.oauthbearer.jwks.endpoint.url", url, "sasl.oauthbearer.clock.skew.seconds", "-1")));
        IllegalArgumentException skew = assertThrows(IllegalArgumentException.class, () -> OAuthBearerSettings
                .fromProperties(Map.of("oauthbearer.sasl.server.callback.handler.class", UNSECURED_HANDLER),
                        Map.of("unsecuredValidatorAllowableClockSkewMs", "-5"), null, null));
        assertEquals("Allowable clock skew millis must not be negative: -5", skew.getMessage());
        IllegalArgumentException scope = assertThrows(IllegalArgumentException.class, () -> OAuthBearerSettings
                .fromProperties(Map.of("oauthbearer.sasl.server.callback.handler.class", UNSECURED_HANDLER),
                        Map.of("unsecuredValidatorRequiredScope", "ok bad\\scope"), null, null));
        assertEquals("Invalid scope value: bad\\scope", scope.getMessage());
    }
}
