package dev.pgkafka.bootstrap.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ServerProperties;

/**
 * One endpoint's TLS settings under Kafka's {@code ssl.*} names, read for a Kafka listener
 * ({@code listener.name.<l>.ssl.*} first, then {@code ssl.*}) or under another prefix (the HTTP
 * admin API's {@code pgkafka.http.ssl.*}). Passwords stay inside: {@link #toString()} hides them.
 */
public final class TlsConfig {
    private final Function<String, Optional<String>> lookup;
    private final Function<String, String> keyName;

    private TlsConfig(Function<String, Optional<String>> lookup, Function<String, String> keyName) {
        this.lookup = lookup;
        this.keyName = keyName;
    }

    /** A Kafka listener's settings. */
    public static TlsConfig forListener(ServerProperties props, String listener) {
        return new TlsConfig(key -> props.forListener(listener, key), key -> props.keyForListener(listener, key));
    }

    /** Settings under a prefix: {@code <prefix>ssl.keystore.location} and so on. */
    public static TlsConfig withPrefix(ServerProperties props, String prefix) {
        return new TlsConfig(key -> props.get(prefix + key), key -> prefix + key);
    }

    Optional<String> value(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The key a setting was read from, for messages. */
    String key(String key) {
        return keyName.apply(key);
    }

    String keystoreType() {
        return value("ssl.keystore.type").orElse("JKS").toUpperCase(Locale.ROOT);
    }

    Optional<Path> keystoreLocation() {
        return value("ssl.keystore.location").map(Path::of);
    }

    Optional<String> keystorePassword() {
        return value("ssl.keystore.password");
    }

    Optional<String> keyPassword() {
        return value("ssl.key.password");
    }

    Optional<String> keystoreCertificateChain() {
        return value("ssl.keystore.certificate.chain");
    }

    Optional<String> keystoreKey() {
        return value("ssl.keystore.key");
    }

    String truststoreType() {
        return value("ssl.truststore.type").orElse("JKS").toUpperCase(Locale.ROOT);
    }

    Optional<Path> truststoreLocation() {
        return value("ssl.truststore.location").map(Path::of);
    }

    Optional<String> truststorePassword() {
        return value("ssl.truststore.password");
    }

    Optional<String> truststoreCertificates() {
        return value("ssl.truststore.certificates");
    }

    /** {@code ssl.protocol}: the SSLContext's protocol (Kafka's default TLSv1.3). */
    String protocol() {
        return value("ssl.protocol").orElse("TLSv1.3");
    }

    /** {@code ssl.enabled.protocols} (Kafka's default TLSv1.2,TLSv1.3). */
    public List<String> enabledProtocols() {
        List<String> protocols = ServerProperties.list(value("ssl.enabled.protocols").orElse("TLSv1.2,TLSv1.3"));
        for (String p : protocols) {
            if (!p.equals("TLSv1.2") && !p.equals("TLSv1.3") && !p.equals("TLSv1.1") && !p.equals("TLSv1")) {
                throw ConfigException.invalid(key("ssl.enabled.protocols"), String.join(",", protocols),
                        "unknown protocol " + p + " (TLSv1.2 and TLSv1.3 are supported)");
            }
        }
        if (protocols.isEmpty()) {
            throw ConfigException.invalid(key("ssl.enabled.protocols"), "", "at least one protocol must be enabled");
        }
        return protocols;
    }

    /** {@code ssl.cipher.suites}; empty for the JDK's defaults. */
    public List<String> cipherSuites() {
        return ServerProperties.list(value("ssl.cipher.suites").orElse(null));
    }

    /** {@code ssl.client.auth}: none, requested or required. */
    public String clientAuth() {
        String v = value("ssl.client.auth").orElse("none").toLowerCase(Locale.ROOT);
        if (!v.equals("none") && !v.equals("requested") && !v.equals("required")) {
            throw ConfigException.invalid(key("ssl.client.auth"), v, "must be one of none, requested, required");
        }
        return v;
    }

    /** {@code ssl.principal.mapping.rules} (Kafka's default DEFAULT). */
    public String principalMappingRules() {
        return value("ssl.principal.mapping.rules").orElse("DEFAULT");
    }

    Optional<String> keyManagerAlgorithm() {
        return value("ssl.keymanager.algorithm");
    }

    Optional<String> trustManagerAlgorithm() {
        return value("ssl.trustmanager.algorithm");
    }

    /** Whether any key material is configured (a keystore location or PEM values). */
    public boolean hasKeystore() {
        return keystoreLocation().isPresent() || keystoreKey().isPresent();
    }

    /** The files whose change means the SSL context must be rebuilt. */
    List<Path> watchedFiles() {
        Optional<Path> keystore = keystoreType().equals("PEM") && keystoreKey().isPresent() ? Optional.empty()
                : keystoreLocation();
        Optional<Path> truststore = truststoreType().equals("PEM") && truststoreCertificates().isPresent()
                ? Optional.empty() : truststoreLocation();
        return java.util.stream.Stream.of(keystore, truststore).flatMap(Optional::stream).toList();
    }

    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystoreType() + " " + keystoreLocation().map(Path::toString).orElse("(inline)")
                + ", truststore=" + truststoreLocation().map(Path::toString).orElse("(none)") + ", passwords hidden]";
    }
}
