package dev.pgkafka.e2e;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/** Client settings for the security tests, as a user writes them in a client's properties. */
final class ClientSecurity {
    private ClientSecurity() {
    }

    static String plainJaas(String user, String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** SASL_PLAINTEXT (or SASL_SSL with {@link #withTls}) with the mechanism and user. */
    static Map<String, Object> sasl(String bootstrap, String mechanism, String user, String password) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        c.put(SaslConfigs.SASL_MECHANISM, mechanism);
        c.put(SaslConfigs.SASL_JAAS_CONFIG, mechanism.equals("PLAIN") ? plainJaas(user, password)
                : scramJaas(user, password));
        return c;
    }

    /** The same over TLS, trusting the test CA. */
    static Map<String, Object> withTls(Map<String, Object> c, TestCertificates certs) {
        Map<String, Object> tls = new HashMap<>(c);
        String protocol = String.valueOf(c.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
        tls.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.startsWith("SASL") ? "SASL_SSL" : "SSL");
        tls.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certs.truststoreP12().toString());
        tls.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        tls.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return tls;
    }

    /** Short timeouts for clients that are expected to fail. */
    static Map<String, Object> failFast(Map<String, Object> c) {
        Map<String, Object> f = new HashMap<>(c);
        f.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        f.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        f.put("max.block.ms", 10_000);
        f.put("delivery.timeout.ms", 10_000);
        f.put("linger.ms", 0);
        return f;
    }
}
