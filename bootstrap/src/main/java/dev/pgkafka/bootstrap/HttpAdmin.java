package dev.pgkafka.bootstrap;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import dev.pgkafka.adapter.http.HttpAdminSettings;
import dev.pgkafka.adapter.http.HttpTlsSettings;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ServerProperties;
import dev.pgkafka.bootstrap.tls.ReloadingSslContext;
import dev.pgkafka.bootstrap.tls.TlsConfig;

/**
 * The HTTP admin API's settings from our {@code pgkafka.http.*} keys: HTTPS with the same
 * {@code ssl.*} suffixes as Kafka's listeners ({@code pgkafka.http.ssl.keystore.location}, ...,
 * reloaded when the files change), and {@code pgkafka.http.authentication} = {@code required} or
 * {@code none} (default: required when an authorizer is configured), with HTTP Basic against the
 * SASL users and Bearer JWTs against the OAUTHBEARER keys.
 */
final class HttpAdmin {
    static final String PREFIX = "pgkafka.http.";
    static final String AUTHENTICATION = "pgkafka.http.authentication";

    private HttpAdmin() {
    }

    /** The HTTPS context when a keystore is configured for the HTTP admin API. */
    static Optional<ReloadingSslContext> tls(BrokerOptions options) {
        TlsConfig config = TlsConfig.withPrefix(options.properties(), PREFIX);
        if (!config.hasKeystore()) {
            return Optional.empty();
        }
        Duration reload = Duration.ofMillis(options.properties().longValue(KafkaListeners.RELOAD_INTERVAL, "10000", 0));
        return Optional.of(ReloadingSslContext.start("the HTTP admin API", config, reload));
    }

    static HttpAdminSettings settings(BrokerOptions options, Optional<ReloadingSslContext> tls, BrokerSecurity security) {
        ServerProperties p = options.properties();
        HttpAdminSettings settings = HttpAdminSettings.plain(options.httpHost(), options.httpPort());
        if (tls.isPresent()) {
            TlsConfig config = TlsConfig.withPrefix(p, PREFIX);
            settings = settings.withTls(new HttpTlsSettings(tls.get(), config.enabledProtocols(), config.cipherSuites(),
                    HttpTlsSettings.ClientAuth.valueOf(config.clientAuth().toUpperCase(Locale.ROOT))));
        }
        String mode = p.get(AUTHENTICATION, security.authorizerEnabled() ? "required" : "none").trim()
                .toLowerCase(Locale.ROOT);
        if (!mode.equals("required") && !mode.equals("none")) {
            throw ConfigException.invalid(AUTHENTICATION, mode, "must be required or none");
        }
        long delay = p.longValue("connection.failed.authentication.delay.ms", "100", 0);
        return settings.withAuthentication(security.useCases().authentication(), mode.equals("required"))
                .withAuthorization(security.useCases().authorization())
                .withFailedAuthenticationDelay(Duration.ofMillis(delay));
    }
}
