package dev.pgkafka.application.service.security.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.pgkafka.domain.security.oauth.CompactJws;
import dev.pgkafka.domain.security.oauth.JwtRules;
import dev.pgkafka.domain.security.oauth.UnsecuredRules;

/**
 * How one listener validates OAUTHBEARER tokens, read from Kafka's broker properties and the JAAS
 * options of {@code OAuthBearerLoginModule}.
 *
 * <p>Keys read by {@link #fromProperties}, each first with the mechanism prefix {@code oauthbearer.}
 * and then without it (as Kafka's {@code ConfigurationUtils} looks them up), in a map where the
 * listener's {@code listener.name.<listener>.} overrides have already replaced the broker-wide values:
 * <table>
 *   <caption>Kafka properties</caption>
 *   <tr><th>property</th><th>field</th><th>default</th></tr>
 *   <tr><td>{@code sasl.server.callback.handler.class}</td><td>{@link #mode}</td><td>see below</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.jwks.endpoint.url}</td><td>{@link #jwksEndpointUrl}</td><td>none</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.jwks.endpoint.refresh.ms}</td><td>{@link #jwksEndpointRefreshMs}</td><td>3600000</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.jwks.endpoint.retry.backoff.ms}</td><td>{@link #jwksEndpointRetryBackoffMs}</td><td>100</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms}</td><td>{@link #jwksEndpointRetryBackoffMaxMs}</td><td>10000</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.clock.skew.seconds}</td><td>{@link #clockSkewSeconds}</td><td>30</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.expected.audience}</td><td>{@link #expectedAudience} (comma-separated)</td><td>none</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.expected.issuer}</td><td>{@link #expectedIssuer}</td><td>none</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.sub.claim.name}</td><td>{@link #subClaimName}</td><td>{@code sub}</td></tr>
 *   <tr><td>{@code sasl.oauthbearer.scope.claim.name}</td><td>{@link #scopeClaimName}</td><td>{@code scope}</td></tr>
 * </table>
 * JAAS options (of {@code listener.name.<listener>.oauthbearer.sasl.jaas.config}), used by the unsecured
 * validator only: {@code unsecuredValidatorPrincipalClaimName}, {@code unsecuredValidatorScopeClaimName},
 * {@code unsecuredValidatorRequiredScope}, {@code unsecuredValidatorAllowableClockSkewMs}.
 * JVM system properties, enforced when set (Kafka 4 enforces them always, and allows nothing when they
 * are unset): {@code org.apache.kafka.sasl.oauthbearer.allowed.urls} and
 * {@code org.apache.kafka.sasl.oauthbearer.allowed.files}, comma-separated.
 *
 * <p>The mode: with {@code sasl.server.callback.handler.class} set to Kafka's
 * {@code OAuthBearerUnsecuredValidatorCallbackHandler}, unsecured tokens; set to Kafka's
 * {@code OAuthBearerValidatorCallbackHandler}, or unset with a JWKS URL, signed tokens checked against
 * the JWKS. Unlike Kafka, an OAUTHBEARER listener with neither is refused rather than silently
 * unsecured, and the secured handler requires a JWKS URL.
 *
 * @param mode                          signed tokens against a JWKS, or Kafka's unsecured tokens
 * @param jwksEndpointUrl               an {@code https:}, {@code http:} or {@code file:} URL (JWKS mode)
 * @param jwksEndpointRefreshMs         how often an HTTP JWKS is fetched again
 * @param jwksEndpointRetryBackoffMs    the first wait after a failed fetch, doubled on each failure
 * @param jwksEndpointRetryBackoffMaxMs the longest wait between failed fetches
 * @param clockSkewSeconds              leeway for exp, nbf and iat
 * @param expectedAudience              the token's aud must name one (none: a token with an aud is refused)
 * @param expectedIssuer                the token's iss must equal it
 * @param subClaimName                  the claim naming the principal
 * @param scopeClaimName                the claim holding the scopes
 * @param unsecured                     the unsecured validator's rules (unsecured mode)
 * @param maxTokenLength                the longest token read, in chars (not a Kafka setting)
 */
public record OAuthBearerSettings(Mode mode, Optional<URI> jwksEndpointUrl, long jwksEndpointRefreshMs,
                                  long jwksEndpointRetryBackoffMs, long jwksEndpointRetryBackoffMaxMs,
                                  int clockSkewSeconds, List<String> expectedAudience, Optional<String> expectedIssuer,
                                  String subClaimName, String scopeClaimName, UnsecuredRules unsecured,
                                  int maxTokenLength) {

    /** Which validator a listener uses. */
    public enum Mode {
        /** Signed JWTs (RS256, ES256) verified against the keys of a JWKS. */
        JWKS,
        /** Kafka's unsecured tokens ({@code alg: none}); development only. */
        UNSECURED
    }

    public static final String MECHANISM_PREFIX = "oauthbearer.";
    public static final String CALLBACK_HANDLER_CLASS = "sasl.server.callback.handler.class";
    public static final String JWKS_ENDPOINT_URL = "sasl.oauthbearer.jwks.endpoint.url";
    public static final String JWKS_ENDPOINT_REFRESH_MS = "sasl.oauthbearer.jwks.endpoint.refresh.ms";
    public static final String JWKS_ENDPOINT_RETRY_BACKOFF_MS = "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms";
    public static final String JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS = "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms";
    public static final String CLOCK_SKEW_SECONDS = "sasl.oauthbearer.clock.skew.seconds";
    public static final String EXPECTED_AUDIENCE = "sasl.oauthbearer.expected.audience";
    public static final String EXPECTED_ISSUER = "sasl.oauthbearer.expected.issuer";
    public static final String SUB_CLAIM_NAME = "sasl.oauthbearer.sub.claim.name";
    public static final String SCOPE_CLAIM_NAME = "sasl.oauthbearer.scope.claim.name";

    public static final String UNSECURED_PRINCIPAL_CLAIM_NAME_OPTION = "unsecuredValidatorPrincipalClaimName";
    public static final String UNSECURED_SCOPE_CLAIM_NAME_OPTION = "unsecuredValidatorScopeClaimName";
    public static final String UNSECURED_REQUIRED_SCOPE_OPTION = "unsecuredValidatorRequiredScope";
    public static final String UNSECURED_ALLOWABLE_CLOCK_SKEW_MS_OPTION = "unsecuredValidatorAllowableClockSkewMs";

    public static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
    public static final String ALLOWED_FILES_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.files";

    /** The callback handler class names Kafka users configure for each mode. */
    static final Set<String> SECURED_HANDLERS = Set.of(
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
            "org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerValidatorCallbackHandler");
    static final Set<String> UNSECURED_HANDLERS = Set.of(
            "org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler");

    public static final long DEFAULT_JWKS_ENDPOINT_REFRESH_MS = 60 * 60 * 1000;
    public static final long DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MS = 100;
    public static final long DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS = 10_000;

    public OAuthBearerSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(jwksEndpointUrl, "jwksEndpointUrl");
        if (mode == Mode.JWKS && jwksEndpointUrl.isEmpty()) {
            throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_URL
                    + " value must be non-null");
        }
        if (jwksEndpointRefreshMs <= 0) {
            throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_REFRESH_MS
                    + " value must be positive");
        }
        if (jwksEndpointRetryBackoffMs < 0) {
            throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_RETRY_BACKOFF_MS
                    + " value must be at least 0");
        }
        if (jwksEndpointRetryBackoffMaxMs < 0) {
            throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS
                    + " value must be at least 0");
        }
        if (clockSkewSeconds < 0) {
            throw new IllegalArgumentException("The OAuth configuration option " + CLOCK_SKEW_SECONDS
                    + " value must be at least 0");
        }
        expectedAudience = List.copyOf(expectedAudience);
        Objects.requireNonNull(expectedIssuer, "expectedIssuer");
        requireName(SUB_CLAIM_NAME, subClaimName);
        requireName(SCOPE_CLAIM_NAME, scopeClaimName);
        Objects.requireNonNull(unsecured, "unsecured");
        if (maxTokenLength < 1) {
            throw new IllegalArgumentException("maxTokenLength must be positive");
        }
    }

    /** JWKS mode with Kafka's defaults for everything else. */
    public static OAuthBearerSettings jwks(URI jwksEndpointUrl) {
        return new OAuthBearerSettings(Mode.JWKS, Optional.of(jwksEndpointUrl), DEFAULT_JWKS_ENDPOINT_REFRESH_MS,
                DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MS, DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS,
                JwtRules.DEFAULT_CLOCK_SKEW_SECONDS, List.of(), Optional.empty(), JwtRules.DEFAULT_SUB_CLAIM_NAME,
                JwtRules.DEFAULT_SCOPE_CLAIM_NAME, UnsecuredRules.defaults(), CompactJws.DEFAULT_MAX_LENGTH);
    }

    /** Unsecured mode with these rules. */
    public static OAuthBearerSettings unsecured(UnsecuredRules rules) {
        return new OAuthBearerSettings(Mode.UNSECURED, Optional.empty(), DEFAULT_JWKS_ENDPOINT_REFRESH_MS,
                DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MS, DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS,
                JwtRules.DEFAULT_CLOCK_SKEW_SECONDS, List.of(), Optional.empty(), JwtRules.DEFAULT_SUB_CLAIM_NAME,
                JwtRules.DEFAULT_SCOPE_CLAIM_NAME, rules, CompactJws.DEFAULT_MAX_LENGTH);
    }

    /**
     * Reads the settings with the JVM's {@value #ALLOWED_URLS_PROPERTY} and {@value #ALLOWED_FILES_PROPERTY}.
     *
     * @param properties  the listener's effective broker properties (listener overrides applied)
     * @param jaasOptions the options of the listener's {@code OAuthBearerLoginModule} JAAS entry
     * @throws IllegalArgumentException naming the property and what is wrong with its value
     */
    public static OAuthBearerSettings fromProperties(Map<String, String> properties, Map<String, String> jaasOptions) {
        return fromProperties(properties, jaasOptions, System.getProperty(ALLOWED_URLS_PROPERTY),
                System.getProperty(ALLOWED_FILES_PROPERTY));
    }

    /**
     * @param allowedUrls  the value of {@value #ALLOWED_URLS_PROPERTY}, or null when it is not set
     * @param allowedFiles the value of {@value #ALLOWED_FILES_PROPERTY}, or null when it is not set
     */
    public static OAuthBearerSettings fromProperties(Map<String, String> properties, Map<String, String> jaasOptions,
                                                     String allowedUrls, String allowedFiles) {
        Lookup lookup = new Lookup(properties);
        Optional<URI> url = lookup.string(JWKS_ENDPOINT_URL).map(value -> jwksUrl(value, allowedUrls, allowedFiles));
        Mode mode = mode(lookup.string(CALLBACK_HANDLER_CLASS), url.isPresent());
        return new OAuthBearerSettings(mode, url,
                lookup.longValue(JWKS_ENDPOINT_REFRESH_MS, DEFAULT_JWKS_ENDPOINT_REFRESH_MS),
                lookup.longValue(JWKS_ENDPOINT_RETRY_BACKOFF_MS, DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MS),
                lookup.longValue(JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS, DEFAULT_JWKS_ENDPOINT_RETRY_BACKOFF_MAX_MS),
                lookup.intValue(CLOCK_SKEW_SECONDS, JwtRules.DEFAULT_CLOCK_SKEW_SECONDS),
                lookup.list(EXPECTED_AUDIENCE),
                lookup.string(EXPECTED_ISSUER),
                lookup.string(SUB_CLAIM_NAME).orElse(JwtRules.DEFAULT_SUB_CLAIM_NAME),
                lookup.string(SCOPE_CLAIM_NAME).orElse(JwtRules.DEFAULT_SCOPE_CLAIM_NAME),
                unsecuredRules(jaasOptions),
                CompactJws.DEFAULT_MAX_LENGTH);
    }

    /** The rules of the JWKS validator. */
    public JwtRules jwtRules() {
        return new JwtRules(clockSkewSeconds, Set.copyOf(expectedAudience), expectedIssuer, subClaimName,
                scopeClaimName, maxTokenLength);
    }

    private static Mode mode(Optional<String> handler, boolean hasJwksUrl) {
        if (handler.isPresent()) {
            String name = handler.get();
            if (UNSECURED_HANDLERS.contains(name)) {
                return Mode.UNSECURED;
            }
            if (SECURED_HANDLERS.contains(name)) {
                if (!hasJwksUrl) {
                    throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_URL
                            + " value must be non-null: " + name + " needs the provider's JWKS");
                }
                return Mode.JWKS;
            }
            throw new IllegalArgumentException("Invalid value " + name + " for configuration " + MECHANISM_PREFIX
                    + CALLBACK_HANDLER_CLASS + ": OAUTHBEARER supports Kafka's "
                    + "OAuthBearerValidatorCallbackHandler and OAuthBearerUnsecuredValidatorCallbackHandler only");
        }
        if (hasJwksUrl) {
            return Mode.JWKS;
        }
        throw new IllegalArgumentException("OAUTHBEARER needs " + JWKS_ENDPOINT_URL + " (signed tokens checked "
                + "against the provider's keys), or, for development only, " + MECHANISM_PREFIX + CALLBACK_HANDLER_CLASS
                + "=" + UNSECURED_HANDLERS.iterator().next() + " (unsecured tokens)");
    }

    private static URI jwksUrl(String value, String allowedUrls, String allowedFiles) {
        String shown = value.replaceFirst("(?<=//)[^/@]*@", "***@"); // messages never show a password
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_URL
                    + " contains a URL (" + shown + ") that is malformed: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        String scheme = uri.getScheme();
        if (scheme == null || scheme.isBlank()) {
            throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_URL
                    + " contains a URL (" + shown + ") that is missing the protocol");
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
            throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_URL
                    + " contains a URL (" + shown + ") that contains an invalid protocol (" + scheme
                    + "); only \"http\", \"https\", and \"file\" protocol are supported");
        }
        if (scheme.equals("file")) {
            String path = filePath(uri);
            if (path == null || path.isEmpty()) {
                throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_URL
                        + " contains a URL (" + shown + ") that is malformed: a file URL needs a path");
            }
            throwIfNotAllowed("file", path, ALLOWED_FILES_PROPERTY, allowedFiles, path);
        } else {
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("The OAuth configuration option " + JWKS_ENDPOINT_URL
                        + " contains a URL (" + shown + ") that is malformed: it has no host");
            }
            throwIfNotAllowed("URL", value, ALLOWED_URLS_PROPERTY, allowedUrls, shown);
        }
        return uri;
    }

    /**
     * The path of a {@code file:} URL: {@code file:/etc/jwks.json} and {@code file:///etc/jwks.json} are
     * absolute, {@code file:jwks.json} is relative to the working directory (as for Kafka).
     */
    static String filePath(URI uri) {
        return uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath();
    }

    private static void throwIfNotAllowed(String what, String value, String property, String allowed, String shown) {
        if (allowed == null) {
            return;
        }
        Set<String> permitted = Arrays.stream(allowed.split(",")).map(String::trim).collect(Collectors.toSet());
        if (!permitted.contains(value)) {
            throw new IllegalArgumentException("Invalid value " + shown + " for configuration " + JWKS_ENDPOINT_URL
                    + ": The " + what + " cannot be accessed due to restrictions. Update the system property '"
                    + property + "' to allow the " + what + " to be accessed.");
        }
    }

    private static UnsecuredRules unsecuredRules(Map<String, String> options) {
        String principal = blankToNull(options.get(UNSECURED_PRINCIPAL_CLAIM_NAME_OPTION));
        String scope = blankToNull(options.get(UNSECURED_SCOPE_CLAIM_NAME_OPTION));
        String required = blankToNull(options.get(UNSECURED_REQUIRED_SCOPE_OPTION));
        String skew = blankToNull(options.get(UNSECURED_ALLOWABLE_CLOCK_SKEW_MS_OPTION));
        int skewMs;
        try {
            skewMs = skew == null ? 0 : Integer.parseInt(skew.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value " + skew + " for the JAAS option "
                    + UNSECURED_ALLOWABLE_CLOCK_SKEW_MS_OPTION + ": " + e.getMessage());
        }
        return new UnsecuredRules(principal == null ? "sub" : principal, scope == null ? "scope" : scope,
                required == null ? List.of() : UnsecuredRules.parseScope(required.trim()), skewMs,
                CompactJws.DEFAULT_MAX_LENGTH);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static void requireName(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("The OAuth configuration option " + property
                    + " value must not contain only whitespace");
        }
    }

    /** Kafka's lookup: the mechanism-prefixed key first, then the plain one; blank values count as unset. */
    private record Lookup(Map<String, String> properties) {
        Optional<String> string(String name) {
            String value = properties.get(MECHANISM_PREFIX + name);
            if (value == null) {
                value = properties.get(name);
            }
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }

        long longValue(String name, long defaultValue) {
            Optional<String> value = string(name);
            try {
                return value.isEmpty() ? defaultValue : Long.parseLong(value.get());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid value " + value.get() + " for configuration " + name
                        + ": Not a number of type LONG");
            }
        }

        int intValue(String name, int defaultValue) {
            Optional<String> value = string(name);
            try {
                return value.isEmpty() ? defaultValue : Integer.parseInt(value.get());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid value " + value.get() + " for configuration " + name
                        + ": Not a number of type INT");
            }
        }

        /** Kafka's LIST type: comma-separated, each item trimmed, empty items dropped. */
        List<String> list(String name) {
            return string(name).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList()).orElse(List.of());
        }
    }
}
