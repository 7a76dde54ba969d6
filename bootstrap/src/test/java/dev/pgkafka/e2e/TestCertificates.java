package dev.pgkafka.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and certificates made at test time, in every form the broker and the clients take:
 * PKCS12 and JKS stores, PEM certificates, PEM keys (plain and encrypted PKCS#8). The server
 * certificate is for localhost and 127.0.0.1; client certificates have the subject {@code CN=<name>}.
 * Every password is {@link #PASSWORD}.
 */
final class TestCertificates {
    static final String PASSWORD = "test-secret";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Bouncy Castle's provider for the key encryption only (not registered with the JDK). */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestCertificates(Path dir, KeyPair caKeys, X509Certificate ca) {
        this.dir = dir;
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /** A new CA in {@code dir}, with a server certificate "server" and its stores written. */
    static TestCertificates create(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = rsa();
            X509Certificate ca = sign(new X500Name("CN=pgkafka-test-ca"), caKeys, new X500Name("CN=pgkafka-test-ca"),
                    caKeys.getPrivate(), true, null, Duration.ofDays(3650));
            TestCertificates certs = new TestCertificates(dir, caKeys, ca);
            writePem(dir.resolve("ca.pem"), ca);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            store(trust, dir.resolve("truststore.p12"));
            KeyStore trustJks = KeyStore.getInstance("JKS");
            trustJks.load(null, null);
            trustJks.setCertificateEntry("ca", ca);
            store(trustJks, dir.resolve("truststore.jks"));
            certs.server("server", "CN=localhost", Duration.ofDays(3650));
            return certs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    Path dir() {
        return dir;
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    Path caPem() {
        return file("ca.pem");
    }

    Path truststoreP12() {
        return file("truststore.p12");
    }

    /**
     * A server certificate for localhost and 127.0.0.1 as {@code <name>.p12}, {@code <name>.jks},
     * {@code <name>.pem} (certificate chain), {@code <name>.key} (plain PKCS#8) and
     * {@code <name>-encrypted.key} (PKCS#8 encrypted with {@link #PASSWORD}).
     */
    X509Certificate server(String name, String subject, Duration validity) {
        return issue(name, subject, validity, true);
    }

    /** A client certificate with subject {@code subject} (e.g. "CN=alice"), in the same forms. */
    X509Certificate client(String name, String subject) {
        return issue(name, subject, Duration.ofDays(3650), false);
    }

    private X509Certificate issue(String name, String subject, Duration validity, boolean server) {
        try {
            KeyPair keys = rsa();
            X509Certificate cert = sign(new X500Name(subject), keys, new X500Name(ca.getSubjectX500Principal().getName()),
                    caKeys.getPrivate(), false, server ? "server" : "client", validity);
            X509Certificate[] chain = {cert, ca};
            for (String type : new String[] {"PKCS12", "JKS"}) {
                KeyStore ks = KeyStore.getInstance(type);
                ks.load(null, null);
                ks.setKeyEntry(name, keys.getPrivate(), PASSWORD.toCharArray(), chain);
                store(ks, dir.resolve(name + (type.equals("JKS") ? ".jks" : ".p12")));
            }
            writePem(dir.resolve(name + ".pem"), cert, ca);
            writeKey(dir.resolve(name + ".key"), keys.getPrivate(), null);
            writeKey(dir.resolve(name + "-encrypted.key"), keys.getPrivate(), PASSWORD);
            return cert;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, PrivateKey issuerKey,
                                        boolean isCa, String usage, Duration validity)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, usage.equals("server")
                    ? new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})
                    : new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            if (usage.equals("server")) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static void store(KeyStore ks, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASSWORD.toCharArray());
        }
    }

    private static void writePem(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        Files.writeString(file, text.toString());
    }

    private static void writeKey(Path file, PrivateKey key, String password) throws IOException, OperatorCreationException {
        OutputEncryptor encryptor = password == null ? null
                : new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setRandom(RANDOM)
                        .setProvider(BC).setPassword(password.toCharArray()).build();
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(new JcaPKCS8Generator(key, encryptor));
        }
        Files.writeString(file, text.toString());
    }
}
