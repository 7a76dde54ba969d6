package dev.pgkafka.bootstrap;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pgkafka.adapter.kafka.SecurityUseCases;
import dev.pgkafka.adapter.postgres.PostgresStorage;
import dev.pgkafka.application.service.security.AclCache;
import dev.pgkafka.application.service.security.AclService;
import dev.pgkafka.application.service.security.AuthenticationService;
import dev.pgkafka.application.service.security.AuthenticationService.ListenerSasl;
import dev.pgkafka.application.service.security.AuthorizationService;
import dev.pgkafka.application.service.security.AuthorizerSettings;
import dev.pgkafka.application.service.security.BearerTokenValidator;
import dev.pgkafka.application.service.security.ScramCredentialService;
import dev.pgkafka.application.service.security.oauth.JwksUnavailableException;
import dev.pgkafka.application.service.security.oauth.OAuthBearerExchange;
import dev.pgkafka.application.service.security.oauth.OAuthBearerSettings;
import dev.pgkafka.application.service.security.oauth.OAuthBearerTokenValidator;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ListenerSpec;
import dev.pgkafka.bootstrap.config.ServerProperties;
import dev.pgkafka.domain.security.JaasConfig;
import dev.pgkafka.domain.security.scram.AddScramArgument;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/**
 * Logins and authorization as the configuration asks: per SASL listener its mechanisms
 * ({@code listener.name.<l>.sasl.enabled.mechanisms}, else {@code sasl.enabled.mechanisms}), its
 * PLAIN users ({@code listener.name.<l>.plain.sasl.jaas.config}) and its OAUTHBEARER validation
 * ({@code sasl.oauthbearer.*}); SCRAM users from PostgreSQL, with the {@code --add-scram} ones
 * created at start; the authorizer ({@code authorizer.class.name}, {@code super.users},
 * {@code allow.everyone.if.no.acl.found}) over the ACLs in PostgreSQL. Everything is checked by
 * {@link #settings} before the database is touched.
 */
final class BrokerSecurity implements AutoCloseable {

    /**
     * What the configuration says, checked.
     *
     * @param oauthBearer per listener that enables OAUTHBEARER, how its tokens are validated
     */
    record Settings(Map<String, ListenerSasl> saslListeners, Map<String, OAuthBearerSettings> oauthBearer,
                    List<UserScramCredential> addScram, AuthorizerSettings authorizer) {
        @Override
        public String toString() {
            return "Settings(saslListeners=" + saslListeners + ", addScram=" + addScram.size() + " entries, authorizer="
                    + authorizer + ")";
        }
    }

    private final SecurityUseCases useCases;
    private final AclCache acls;
    private final List<OAuthBearerTokenValidator> validators;

    private BrokerSecurity(SecurityUseCases useCases, AclCache acls, List<OAuthBearerTokenValidator> validators) {
        this.useCases = useCases;
        this.acls = acls;
        this.validators = validators;
    }

    /** @throws ConfigException naming the key at fault; never showing a password */
    static Settings settings(BrokerOptions options) {
        ServerProperties p = options.properties();
        refusePluggedInClasses(p);
        Map<String, ListenerSasl> sasl = new LinkedHashMap<>();
        Map<String, OAuthBearerSettings> oauth = new LinkedHashMap<>();
        for (ListenerSpec spec : options.listeners()) {
            if (!spec.usesSasl()) {
                continue;
            }
            String mechanismsKey = p.keyForListener(spec.name(), "sasl.enabled.mechanisms");
            List<String> mechanisms = ServerProperties.list(p.forListener(spec.name(), "sasl.enabled.mechanisms")
                    .orElse("GSSAPI"));
            for (String mechanism : mechanisms) {
                if (!List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER").contains(mechanism)) {
                    throw ConfigException.invalid(mechanismsKey, String.join(",", mechanisms), "SASL mechanism "
                            + mechanism + " is not supported on listener " + spec.name() + " (GSSAPI is Kafka's default "
                            + "when the key is not set); use PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER");
                }
            }
            String jaas = mechanisms.contains("PLAIN")
                    ? p.forMechanism(spec.name(), "PLAIN", "sasl.jaas.config").orElse(null) : null;
            try {
                sasl.put(spec.name(), ListenerSasl.of(mechanisms, jaas));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Invalid value for configuration "
                        + p.keyForMechanism(spec.name(), "PLAIN", "sasl.jaas.config") + ": " + e.getMessage());
            }
            if (mechanisms.contains("OAUTHBEARER")) {
                oauth.put(spec.name(), oauthBearer(p, spec.name()));
            }
        }
        List<UserScramCredential> addScram;
        try {
            addScram = AddScramArgument.credentials(options.addScram());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--add-scram: " + e.getMessage());
        }
        AuthorizerSettings authorizer;
        try {
            authorizer = AuthorizerSettings.fromKafkaConfig(p.get("authorizer.class.name", ""),
                    p.get("super.users", ""), p.get("allow.everyone.if.no.acl.found", "false"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value for configuration super.users or allow.everyone.if.no.acl.found: "
                    + e.getMessage());
        }
        return new Settings(Map.copyOf(sasl), Map.copyOf(oauth), addScram, authorizer);
    }

    /** Kafka's own classes that name what pgkafka does built in; anything else would be silently ignored. */
    private static final Map<String, List<String>> BUILT_IN_CLASSES = Map.of(
            "principal.builder.class",
            List.of("org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder"),
            "ssl.engine.factory.class", List.of("org.apache.kafka.common.security.ssl.DefaultSslEngineFactory"),
            "sasl.server.callback.handler.class", List.of(
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
                    "org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerValidatorCallbackHandler",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerUnsecuredValidatorCallbackHandler",
                    "org.apache.kafka.common.security.oauthbearer.internals.unsecured."
                            + "OAuthBearerUnsecuredValidatorCallbackHandler"));

    /**
     * A custom principal builder, SSL engine factory or SASL callback handler cannot be loaded: the
     * start stops rather than run with a security setting silently ignored.
     */
    private static void refusePluggedInClasses(ServerProperties p) {
        p.asMap().forEach((key, value) -> {
            String bare = key.startsWith("listener.name.") ? key.substring(key.indexOf('.', "listener.name.".length()) + 1)
                    : key;
            if (bare.contains(".") && !BUILT_IN_CLASSES.containsKey(bare)) {
                bare = bare.substring(bare.indexOf('.') + 1); // a mechanism prefix: oauthbearer.sasl.server...
            }
            List<String> allowed = BUILT_IN_CLASSES.get(bare);
            if (allowed != null && !value.isBlank() && !allowed.contains(value.trim())) {
                throw ConfigException.invalid(key, value, "pgkafka cannot load custom classes; "
                        + (bare.equals("sasl.server.callback.handler.class")
                        ? "only Kafka's OAUTHBEARER validator callback handlers are recognised"
                        : "leave it unset for Kafka's default behaviour, which pgkafka has built in"));
            }
        });
    }

    /**
     * A listener's OAUTHBEARER settings as Kafka looks them up: {@code listener.name.<l>.} overrides
     * over the broker-wide keys, each with and without the {@code oauthbearer.} mechanism prefix, and
     * the JAAS options of {@code listener.name.<l>.oauthbearer.sasl.jaas.config}.
     */
    private static OAuthBearerSettings oauthBearer(ServerProperties p, String listener) {
        Map<String, String> view = new LinkedHashMap<>();
        String prefix = ServerProperties.listenerPrefix(listener);
        p.asMap().forEach((k, v) -> {
            if (!k.startsWith("listener.name.")) {
                view.put(k, v);
            }
        });
        p.asMap().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                view.put(k.substring(prefix.length()), v);
            }
        });
        Map<String, String> jaasOptions = Map.of();
        String jaasKey = p.keyForMechanism(listener, "OAUTHBEARER", "sasl.jaas.config");
        try {
            String jaas = p.forMechanism(listener, "OAUTHBEARER", "sasl.jaas.config").orElse(null);
            if (jaas != null) {
                jaasOptions = JaasConfig.parseSingle(jaas).options();
            }
            return OAuthBearerSettings.fromProperties(view, jaasOptions);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("OAUTHBEARER on listener " + listener + " (" + jaasKey + ", sasl.oauthbearer.*): "
                    + e.getMessage());
        }
    }

    /**
     * Creates the {@code --add-scram} users, loads the ACLs (and keeps them fresh while an authorizer
     * is configured: a change made on another broker is in force within a second).
     */
    static BrokerSecurity start(Settings settings, PostgresStorage storage, Clock clock) {
        ScramCredentialService scramUsers = new ScramCredentialService(storage.scramCredentials());
        scramUsers.createAtStart(settings.addScram());
        Map<String, OAuthBearerTokenValidator> validators = new LinkedHashMap<>();
        AclCache acls = null;
        try {
            for (Map.Entry<String, OAuthBearerSettings> e : settings.oauthBearer().entrySet()) {
                try {
                    validators.put(ServerProperties.listenerPrefix(e.getKey()), OAuthBearerTokenValidator.open(e.getValue(),
                            clock));
                } catch (JwksUnavailableException failure) {
                    throw new ConfigException("the OAUTHBEARER keys of listener " + e.getKey()
                            + " cannot be read (sasl.oauthbearer.jwks.endpoint.url): " + failure.getMessage());
                }
            }
            // HTTP bearer tokens are checked against the first OAUTHBEARER listener's keys
            BearerTokenValidator httpBearer = validators.values().stream().findFirst().orElse(null);
            AuthenticationService.OAuthBearerLogins oauthLogins = validators.isEmpty() ? null
                    : (listener, host) -> new OAuthBearerExchange(validators.get(ServerProperties.listenerPrefix(listener)));
            AuthenticationService logins = new AuthenticationService(settings.saslListeners(), storage.scramCredentials(),
                    httpBearer, oauthLogins);
            acls = AclCache.load(storage.acls());
            if (settings.authorizer().enabled()) {
                acls.startPolling(AclCache.DEFAULT_POLL_INTERVAL);
            }
            return new BrokerSecurity(new SecurityUseCases(logins, new AuthorizationService(acls, settings.authorizer()),
                    new AclService(storage.acls(), acls), scramUsers), acls, List.copyOf(validators.values()));
        } catch (RuntimeException e) {
            validators.values().forEach(OAuthBearerTokenValidator::close);
            if (acls != null) {
                acls.close();
            }
            throw e;
        }
    }

    /** Whether an authorizer is configured (then the HTTP admin API requires logins by default). */
    boolean authorizerEnabled() {
        return useCases.authorization().isEnabled();
    }

    SecurityUseCases useCases() {
        return useCases;
    }

    @Override
    public void close() {
        acls.close();
        validators.forEach(OAuthBearerTokenValidator::close);
    }
}
