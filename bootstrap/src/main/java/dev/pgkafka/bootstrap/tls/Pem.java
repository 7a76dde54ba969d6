package dev.pgkafka.bootstrap.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PEM text as Kafka's {@code ssl.keystore.type=PEM} takes it: X.509 certificates, and one private
 * key in PKCS#8, plain ({@code BEGIN PRIVATE KEY}) or encrypted with {@code ssl.key.password}
 * ({@code BEGIN ENCRYPTED PRIVATE KEY}).
 */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "DSA");

    private Pem() {
    }

    /** The certificates of every CERTIFICATE block, in order. */
    static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals("CERTIFICATE")) {
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
            }
        }
        if (out.isEmpty()) {
            throw new CertificateException("no PEM certificate (-----BEGIN CERTIFICATE-----) found");
        }
        return out;
    }

    /**
     * The private key of the first key block.
     *
     * @param password the key's password when it is encrypted, else null
     */
    static PrivateKey privateKey(String pem, char[] password) throws GeneralSecurityException {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            byte[] der = decode(m.group(2));
            switch (type) {
                case "PRIVATE KEY" -> {
                    return keyOf(new PKCS8EncodedKeySpec(der));
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new InvalidKeySpecException("the private key is encrypted but ssl.key.password is not set");
                    }
                    return keyOf(decrypt(der, password));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new InvalidKeySpecException(
                        "the private key is in the legacy " + type + " format; Kafka's PEM keys are PKCS#8 "
                                + "(convert with: openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem)");
                default -> {
                    // certificates and other blocks are not keys
                }
            }
        }
        throw new InvalidKeySpecException("no PEM private key (-----BEGIN PRIVATE KEY-----) found");
    }

    private static PKCS8EncodedKeySpec decrypt(byte[] der, char[] password) throws GeneralSecurityException {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (java.io.IOException e) {
            throw new InvalidKeySpecException("the encrypted private key is not valid PKCS#8", e);
        }
        String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
        SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
        SecretKey key = factory.generateSecret(new PBEKeySpec(password));
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(Cipher.DECRYPT_MODE, key, info.getAlgParameters());
        try {
            return info.getKeySpec(cipher);
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeySpecException("the private key cannot be decrypted: is ssl.key.password right?", e);
        }
    }

    private static PrivateKey keyOf(PKCS8EncodedKeySpec spec) throws GeneralSecurityException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new InvalidKeySpecException("the private key is not an RSA, EC, EdDSA or DSA key in PKCS#8");
    }

    private static byte[] decode(String base64) {
        return Base64.getMimeDecoder().decode(base64);
    }
}
