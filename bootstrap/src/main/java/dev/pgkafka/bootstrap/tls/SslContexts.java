package dev.pgkafka.bootstrap.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.pgkafka.bootstrap.config.ConfigException;

/**
 * Builds an {@link SSLContext} from Kafka's {@code ssl.*} settings: JKS and PKCS12 keystores and
 * truststores from files, PEM from files or inline values ({@code ssl.keystore.certificate.chain},
 * {@code ssl.keystore.key}, {@code ssl.truststore.certificates}). Failures name the setting and
 * never show a password.
 */
public final class SslContexts {
    private SslContexts() {
    }

    /** What an SSL context was built from: the context and the server certificate, for logs. */
    public record Built(SSLContext context, Optional<X509Certificate> certificate) {
    }

    /** @throws ConfigException naming the setting at fault */
    public static Built build(TlsConfig config) {
        KeyStore keyStore = keyStore(config);
        char[] keyPassword = config.keyPassword().or(config::keystorePassword).map(String::toCharArray)
                .orElse(new char[0]);
        if (config.keystoreType().equals("PEM")) {
            keyPassword = PEM_STORE_PASSWORD;
        }
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(
                    config.keyManagerAlgorithm().orElse(KeyManagerFactory.getDefaultAlgorithm()));
            kmf.init(keyStore, keyPassword);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(
                    config.trustManagerAlgorithm().orElse(TrustManagerFactory.getDefaultAlgorithm()));
            tmf.init(trustStore(config));
            SSLContext context = SSLContext.getInstance(config.protocol());
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new Built(context, firstCertificate(keyStore));
        } catch (java.security.UnrecoverableKeyException e) {
            throw new ConfigException("the private key in " + config.key("ssl.keystore.location")
                    + " cannot be read with " + config.key("ssl.key.password") + " (is the key password right?)");
        } catch (GeneralSecurityException e) {
            throw new ConfigException("TLS cannot be set up with " + config.key("ssl.keystore.location") + ": "
                    + e.getMessage());
        }
    }

    /** The password of the in-memory keystore holding a PEM key (never leaves this class). */
    private static final char[] PEM_STORE_PASSWORD = "pem".toCharArray();

    private static KeyStore keyStore(TlsConfig config) {
        String type = config.keystoreType();
        if (type.equals("PEM")) {
            String chain;
            String key;
            // inline values win over a location (which may be inherited from the non-listener ssl.* keys)
            if (config.keystoreKey().isEmpty() && config.keystoreLocation().isPresent()) {
                String text = readText(config, "ssl.keystore.location");
                chain = text;
                key = text;
            } else {
                chain = config.keystoreCertificateChain().orElseThrow(() -> new ConfigException(
                        config.key("ssl.keystore.certificate.chain") + " is required with ssl.keystore.type=PEM when "
                                + "ssl.keystore.location is not set"));
                key = config.keystoreKey().orElseThrow(() -> new ConfigException(config.key("ssl.keystore.key")
                        + " is required with ssl.keystore.type=PEM when ssl.keystore.location is not set"));
            }
            try {
                List<X509Certificate> certificates = Pem.certificates(chain);
                PrivateKey privateKey = Pem.privateKey(key, config.keyPassword().map(String::toCharArray).orElse(null));
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("kafka", privateKey, PEM_STORE_PASSWORD,
                        certificates.toArray(new X509Certificate[0]));
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new ConfigException("the PEM key material of " + config.key(config.keystoreKey().isEmpty()
                        ? "ssl.keystore.location" : "ssl.keystore.key") + " cannot be used: " + e.getMessage());
            }
        }
        if (config.keystoreLocation().isEmpty()) {
            throw new ConfigException(config.key("ssl.keystore.location") + " is required for a TLS listener "
                    + "(or ssl.keystore.type=PEM with ssl.keystore.certificate.chain and ssl.keystore.key)");
        }
        return loadStore(config, type, "ssl.keystore.location", "ssl.keystore.password",
                config.keystorePassword().orElse(null));
    }

    private static KeyStore trustStore(TlsConfig config) {
        String type = config.truststoreType();
        if (type.equals("PEM")) {
            Optional<String> text = config.truststoreCertificates().isEmpty() && config.truststoreLocation().isPresent()
                    ? Optional.of(readText(config, "ssl.truststore.location"))
                    : config.truststoreCertificates();
            if (text.isEmpty()) {
                return null;
            }
            try {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate c : Pem.certificates(text.get())) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                return store;
            } catch (GeneralSecurityException | IOException e) {
                throw new ConfigException("the PEM certificates of " + config.key(config.truststoreLocation().isPresent()
                        ? "ssl.truststore.location" : "ssl.truststore.certificates") + " cannot be used: "
                        + e.getMessage());
            }
        }
        if (config.truststoreLocation().isEmpty()) {
            return null; // the JDK's default trust, as Kafka
        }
        return loadStore(config, type, "ssl.truststore.location", "ssl.truststore.password",
                config.truststorePassword().orElse(null));
    }

    private static KeyStore loadStore(TlsConfig config, String type, String locationKey, String passwordKey,
                                      String password) {
        if (!type.equals("JKS") && !type.equals("PKCS12")) {
            throw new ConfigException("Invalid value " + type + " for configuration " + config.key(locationKey
                    .replace("location", "type")) + ": must be JKS, PKCS12 or PEM");
        }
        java.nio.file.Path path = locationKey.contains("keystore") ? config.keystoreLocation().orElseThrow()
                : config.truststoreLocation().orElseThrow();
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new ConfigException(config.key(locationKey) + " names " + path + ", which does not exist");
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password")) {
                throw new ConfigException(path + " (" + config.key(locationKey) + ") cannot be opened with "
                        + config.key(passwordKey) + " (is the password right?)");
            }
            throw new ConfigException(path + " (" + config.key(locationKey) + ") cannot be read as " + type + ": "
                    + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new ConfigException(path + " (" + config.key(locationKey) + ") cannot be read as " + type + ": "
                    + e.getMessage());
        }
    }

    private static String readText(TlsConfig config, String locationKey) {
        java.nio.file.Path path = locationKey.contains("keystore") ? config.keystoreLocation().orElseThrow()
                : config.truststoreLocation().orElseThrow();
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ConfigException(config.key(locationKey) + " names " + path + ", which does not exist");
        } catch (IOException e) {
            throw new ConfigException(path + " (" + config.key(locationKey) + ") cannot be read: " + e.getMessage());
        }
    }

    private static Optional<X509Certificate> firstCertificate(KeyStore store) {
        try {
            Enumeration<String> aliases = store.aliases();
            while (aliases.hasMoreElements()) {
                String alias = aliases.nextElement();
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate c) {
                    return Optional.of(c);
                }
            }
        } catch (GeneralSecurityException e) {
            // only for the log line
        }
        return Optional.empty();
    }
}
