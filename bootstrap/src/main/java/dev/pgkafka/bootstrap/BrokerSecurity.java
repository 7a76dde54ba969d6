package dev.pgkafka.bootstrap;

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
import dev.pgkafka.application.service.security.ScramCredentialService;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ListenerSpec;
import dev.pgkafka.bootstrap.config.ServerProperties;
import dev.pgkafka.domain.security.scram.AddScramArgument;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/**
 * Logins and authorization as the configuration asks: per SASL listener its mechanisms
 * ({@code listener.name.<l>.sasl.enabled.mechanisms}, else {@code sasl.enabled.mechanisms}) and its
 * PLAIN users ({@code listener.name.<l>.plain.sasl.jaas.config}); SCRAM users from PostgreSQL, with
 * the {@code --add-scram} ones created at start. Everything is checked by {@link #settings} before
 * the database is touched.
 */
final class BrokerSecurity implements AutoCloseable {

    /** What the configuration says, checked. */
    record Settings(Map<String, ListenerSasl> saslListeners, List<UserScramCredential> addScram,
                    AuthorizerSettings authorizer) {
        @Override
        public String toString() {
            return "Settings(saslListeners=" + saslListeners + ", addScram=" + addScram.size() + " entries, authorizer="
                    + authorizer + ")";
        }
    }

    private final SecurityUseCases useCases;
    private final AclCache acls;

    private BrokerSecurity(SecurityUseCases useCases, AclCache acls) {
        this.useCases = useCases;
        this.acls = acls;
    }

    /** @throws ConfigException naming the key at fault; never showing a password */
    static Settings settings(BrokerOptions options) {
        ServerProperties p = options.properties();
        Map<String, ListenerSasl> sasl = new LinkedHashMap<>();
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
        return new Settings(Map.copyOf(sasl), addScram, authorizer);
    }

    /**
     * Creates the {@code --add-scram} users, loads the ACLs (and keeps them fresh while an authorizer
     * is configured: a change made on another broker is in force within a second).
     */
    static BrokerSecurity start(Settings settings, PostgresStorage storage) {
        ScramCredentialService scramUsers = new ScramCredentialService(storage.scramCredentials());
        scramUsers.createAtStart(settings.addScram());
        AuthenticationService logins = new AuthenticationService(settings.saslListeners(), storage.scramCredentials());
        AclCache acls = AclCache.load(storage.acls());
        if (settings.authorizer().enabled()) {
            acls.startPolling(AclCache.DEFAULT_POLL_INTERVAL);
        }
        return new BrokerSecurity(new SecurityUseCases(logins, new AuthorizationService(acls, settings.authorizer()),
                new AclService(storage.acls(), acls), scramUsers), acls);
    }

    SecurityUseCases useCases() {
        return useCases;
    }

    @Override
    public void close() {
        acls.close();
    }
}
