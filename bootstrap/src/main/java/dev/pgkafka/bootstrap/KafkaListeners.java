package dev.pgkafka.bootstrap;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.pgkafka.adapter.kafka.listener.KafkaListenerConfig;
import dev.pgkafka.adapter.kafka.listener.SecurityProtocol;
import dev.pgkafka.adapter.kafka.listener.TlsListenerSettings;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ListenerSpec;
import dev.pgkafka.bootstrap.config.ServerProperties;
import dev.pgkafka.bootstrap.tls.ReloadingSslContext;
import dev.pgkafka.bootstrap.tls.TlsConfig;

/**
 * Turns the configured listeners into the wire adapter's listener configs: TLS contexts built (and
 * watched for new certificates) per listener, Kafka's per-listener overrides applied, and a warning
 * for every listener that lets anyone in from beyond this machine.
 */
final class KafkaListeners implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KafkaListeners.class.getName());
    static final String RELOAD_INTERVAL = "pgkafka.ssl.reload.check.interval.ms";
    private static final int HANDSHAKE_TIMEOUT_MS = 10_000;

    private final List<KafkaListenerConfig> configs;
    private final List<ReloadingSslContext> contexts;

    private KafkaListeners(List<KafkaListenerConfig> configs, List<ReloadingSslContext> contexts) {
        this.configs = configs;
        this.contexts = contexts;
    }

    /**
     * @param principalMapper builds the certificate-DN-to-name mapping of {@code ssl.principal.mapping.rules}
     * @throws ConfigException when a listener's TLS settings cannot be used
     */
    static KafkaListeners create(BrokerOptions options, Function<String, Function<String, String>> principalMapper) {
        ServerProperties p = options.properties();
        List<KafkaListenerConfig> configs = new ArrayList<>();
        List<ReloadingSslContext> contexts = new ArrayList<>();
        Duration reload = Duration.ofMillis(p.longValue(RELOAD_INTERVAL, "10000", 0));
        try {
            for (ListenerSpec spec : options.listeners()) {
                SecurityProtocol protocol = SecurityProtocol.valueOf(spec.protocol());
                TlsListenerSettings tls = null;
                if (protocol.usesTls()) {
                    TlsConfig tlsConfig = TlsConfig.forListener(p, spec.name());
                    ReloadingSslContext context = ReloadingSslContext.start("listener " + spec.name(), tlsConfig, reload);
                    contexts.add(context);
                    tls = new TlsListenerSettings(context, tlsConfig.enabledProtocols(), tlsConfig.cipherSuites(),
                            TlsListenerSettings.ClientAuth.valueOf(tlsConfig.clientAuth().toUpperCase(Locale.ROOT)),
                            principalMapper.apply(tlsConfig.principalMappingRules()), HANDSHAKE_TIMEOUT_MS);
                }
                long maxReauthMs = longFor(p, spec.name(), "connections.max.reauth.ms", "0");
                int failedDelayMs = (int) longFor(p, spec.name(), "connection.failed.authentication.delay.ms", "100");
                configs.add(new KafkaListenerConfig(spec.name(), protocol, spec.bindHost(), spec.port(),
                        spec.advertisedHost(), spec.advertisedPort(), options.maxRequestBytes(), tls, maxReauthMs,
                        failedDelayMs));
                warnIfOpen(spec, tls);
            }
        } catch (RuntimeException e) {
            contexts.forEach(ReloadingSslContext::close);
            throw e;
        }
        return new KafkaListeners(List.copyOf(configs), List.copyOf(contexts));
    }

    private static long longFor(ServerProperties p, String listener, String key, String defaultValue) {
        String k = p.keyForListener(listener, key);
        String raw = p.forListener(listener, key).orElse(defaultValue);
        try {
            long v = Long.parseLong(raw.trim());
            if (v < 0) {
                throw ConfigException.invalid(k, raw, "Value must be at least 0");
            }
            return v;
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(k, raw, "Not a number of type LONG");
        }
    }

    /** Binding beyond loopback without authentication is allowed, but said at every start. */
    private static void warnIfOpen(ListenerSpec spec, TlsListenerSettings tls) {
        boolean authenticates = spec.usesSasl()
                || tls != null && tls.clientAuth() == TlsListenerSettings.ClientAuth.REQUIRED;
        if (!authenticates && spec.bindsBeyondLoopback()) {
            LOG.log(Level.WARNING, "Listener {0} binds {1}:{2} without authentication ({3}): anyone who can reach it "
                    + "connects as User:ANONYMOUS. Use SASL_SSL, SSL with ssl.client.auth=required, or bind 127.0.0.1; "
                    + "see \"Securing pgkafka\" in the README", spec.name(), spec.bindHost().isEmpty() ? "*"
                    : spec.bindHost(), String.valueOf(spec.port()), spec.protocol());
        }
    }

    /** Checks every listener's TLS files now; the number of listeners that took new certificates. */
    int reloadNow() {
        int reloaded = 0;
        for (ReloadingSslContext c : contexts) {
            if (c.checkNow()) {
                reloaded++;
            }
        }
        return reloaded;
    }

    List<KafkaListenerConfig> configs() {
        return configs;
    }

    @Override
    public void close() {
        contexts.forEach(ReloadingSslContext::close);
    }
}
