package dev.pgkafka.domain.security.scram;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The four SCRAM messages of RFC 5802, section 7, as Kafka exchanges them: parsed by hand (no regular
 * expressions, so a long message costs linear time and no stack), strictly UTF-8, with the GS2 header
 * {@code n} (no channel binding) and optional extensions such as Kafka's {@code tokenauth}.
 */
public final class ScramMessages {
    private ScramMessages() {
    }

    /**
     * {@code gs2-header client-first-message-bare}: {@code n,[a=authzid],n=saslname,r=nonce[,ext=value]*}.
     * The bare part is kept as the client sent it: it is signed as it was sent (the AuthMessage).
     */
    public static final class ClientFirstMessage {
        private final String gs2Header;
        private final String authorizationId;
        private final String username;
        private final String nonce;
        private final Map<String, String> extensions;
        private final String bare;

        private ClientFirstMessage(String gs2Header, String authorizationId, String username, String nonce,
                                   Map<String, String> extensions, String bare) {
            this.gs2Header = gs2Header;
            this.authorizationId = authorizationId;
            this.username = username;
            this.nonce = nonce;
            this.extensions = extensions;
            this.bare = bare;
        }

        public static ClientFirstMessage parse(byte[] message) throws ScramFormatException {
            String text = utf8(message, "client-first");
            String[] parts = text.split(",", -1);
            if (parts.length < 4) {
                throw new ScramFormatException("client-first message has " + parts.length + " fields, expected at least 4");
            }
            if (!parts[0].equals("n")) {
                throw new ScramFormatException(parts[0].equals("y") || parts[0].startsWith("p=")
                        ? "channel binding is not supported" : "client-first message does not start with the GS2 flag n");
            }
            String authorizationId = "";
            if (!parts[1].isEmpty()) {
                if (!parts[1].startsWith("a=")) {
                    throw new ScramFormatException("GS2 header has an invalid authorization id field");
                }
                authorizationId = decodeSaslName(parts[1].substring(2), "authorization id");
            }
            if (parts[2].startsWith("m=")) {
                throw new ScramFormatException("mandatory extensions (m=) are not supported");
            }
            if (!parts[2].startsWith("n=")) {
                throw new ScramFormatException("client-first message has no user name (n=)");
            }
            String username = decodeSaslName(parts[2].substring(2), "user name");
            String nonce = attribute(parts[3], "r", "client-first");
            requirePrintable(nonce, "client nonce");
            Map<String, String> extensions = ScramMessages.extensions(parts, 4, parts.length, "client-first");
            String gs2Header = parts[0] + "," + parts[1] + ",";
            return new ClientFirstMessage(gs2Header, authorizationId, username, nonce, extensions,
                    text.substring(gs2Header.length()));
        }

        /** {@code n,,} or {@code n,a=authzid,}: what the client-final message's {@code c=} must echo. */
        public String gs2Header() {
            return gs2Header;
        }

        /** The requested authorization id, decoded; empty when none. */
        public String authorizationId() {
            return authorizationId;
        }

        /** The user name, decoded ({@code =2C} and {@code =3D} back to {@code ,} and {@code =}). */
        public String username() {
            return username;
        }

        public String nonce() {
            return nonce;
        }

        public Map<String, String> extensions() {
            return extensions;
        }

        /** Kafka's delegation-token login ({@code tokenauth=true}). */
        public boolean tokenAuthenticated() {
            return Boolean.parseBoolean(extensions.get("tokenauth"));
        }

        public String bare() {
            return bare;
        }

        public byte[] toBytes() {
            return (gs2Header + bare).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code r=client-nonce+server-nonce,s=base64(salt),i=iterations} */
    public static final class ServerFirstMessage {
        private final String nonce;
        private final byte[] salt;
        private final int iterations;

        public ServerFirstMessage(String clientNonce, String serverNonce, byte[] salt, int iterations) {
            this.nonce = clientNonce + serverNonce;
            this.salt = salt.clone();
            this.iterations = iterations;
        }

        /** Both nonces together: the client-final message must repeat exactly this. */
        public String nonce() {
            return nonce;
        }

        public byte[] salt() {
            return salt.clone();
        }

        public int iterations() {
            return iterations;
        }

        public String toMessage() {
            return "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(salt) + ",i=" + iterations;
        }

        public byte[] toBytes() {
            return toMessage().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code c=base64(gs2-header),r=nonce[,ext=value]*,p=base64(proof)} */
    public static final class ClientFinalMessage {
        private final String channelBinding;
        private final String nonce;
        private final byte[] proof;
        private final String withoutProof;

        private ClientFinalMessage(String channelBinding, String nonce, byte[] proof, String withoutProof) {
            this.channelBinding = channelBinding;
            this.nonce = nonce;
            this.proof = proof;
            this.withoutProof = withoutProof;
        }

        public static ClientFinalMessage parse(byte[] message) throws ScramFormatException {
            String text = utf8(message, "client-final");
            String[] parts = text.split(",", -1);
            if (parts.length < 3) {
                throw new ScramFormatException("client-final message has " + parts.length + " fields, expected at least 3");
            }
            String channelBinding = attribute(parts[0], "c", "client-final");
            base64(channelBinding, "channel binding");
            String nonce = attribute(parts[1], "r", "client-final");
            requirePrintable(nonce, "nonce");
            ScramMessages.extensions(parts, 2, parts.length - 1, "client-final");
            String last = parts[parts.length - 1];
            byte[] proof = base64(attribute(last, "p", "client-final"), "proof");
            return new ClientFinalMessage(channelBinding, nonce, proof,
                    text.substring(0, text.length() - last.length() - 1));
        }

        /** The {@code c=} value as sent (base64 text). */
        public String channelBinding() {
            return channelBinding;
        }

        public String nonce() {
            return nonce;
        }

        public byte[] proof() {
            return proof.clone();
        }

        /** {@code client-final-message-without-proof}, as the client sent it: the end of the AuthMessage. */
        public String withoutProof() {
            return withoutProof;
        }

        public byte[] toBytes() {
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** {@code v=base64(ServerSignature)}: the server proves it knew the ServerKey. */
    public static final class ServerFinalMessage {
        private final byte[] serverSignature;

        public ServerFinalMessage(byte[] serverSignature) {
            this.serverSignature = serverSignature.clone();
        }

        public byte[] serverSignature() {
            return serverSignature.clone();
        }

        public String toMessage() {
            return "v=" + Base64.getEncoder().encodeToString(serverSignature);
        }

        public byte[] toBytes() {
            return toMessage().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** AuthMessage := client-first-message-bare + "," + server-first-message + "," + client-final-message-without-proof */
    public static String authMessage(ClientFirstMessage first, ServerFirstMessage serverFirst, String finalWithoutProof) {
        return first.bare() + "," + serverFirst.toMessage() + "," + finalWithoutProof;
    }

    /** A user name as a saslname: {@code =} becomes {@code =3D} and {@code ,} becomes {@code =2C} (RFC 5802, 5.1). */
    public static String encodeSaslName(String username) {
        return username.replace("=", "=3D").replace(",", "=2C");
    }

    /** The inverse of {@link #encodeSaslName}; any other {@code =} makes the name invalid. */
    public static String decodeSaslName(String saslName, String what) throws ScramFormatException {
        if (saslName.isEmpty()) {
            throw new ScramFormatException(what + " is empty");
        }
        StringBuilder out = new StringBuilder(saslName.length());
        for (int i = 0; i < saslName.length(); i++) {
            char c = saslName.charAt(i);
            if (c == '=') {
                if (saslName.startsWith("2C", i + 1)) {
                    out.append(',');
                } else if (saslName.startsWith("3D", i + 1)) {
                    out.append('=');
                } else {
                    throw new ScramFormatException(what + " has '=' not followed by 2C or 3D");
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String utf8(byte[] message, String what) throws ScramFormatException {
        Objects.requireNonNull(message, "message");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ScramFormatException(what + " message is not valid UTF-8");
        }
        if (text.indexOf('\0') >= 0) {
            throw new ScramFormatException(what + " message contains NUL");
        }
        return text;
    }

    /** The value of {@code name=value}; the name must be the expected one. */
    private static String attribute(String field, String name, String what) throws ScramFormatException {
        if (!field.startsWith(name + "=")) {
            throw new ScramFormatException(what + " message lacks the attribute " + name + "= where it belongs");
        }
        String value = field.substring(name.length() + 1);
        if (value.isEmpty()) {
            throw new ScramFormatException(what + " message has an empty " + name + "= attribute");
        }
        return value;
    }

    /** Kafka's printable: 0x21 to 0x7E without the comma. */
    private static void requirePrintable(String value, String what) throws ScramFormatException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new ScramFormatException(what + " contains a character outside printable ASCII");
            }
        }
    }

    /** {@code ALPHA+ "=" value} fields, in order; a name given twice keeps its last value. */
    private static Map<String, String> extensions(String[] parts, int from, int to, String what)
            throws ScramFormatException {
        if (from >= to) {
            return Map.of();
        }
        Map<String, String> extensions = new LinkedHashMap<>();
        for (int i = from; i < to; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0 || eq == parts[i].length() - 1) {
                throw new ScramFormatException(what + " message has a malformed field " + (i + 1));
            }
            String name = parts[i].substring(0, eq);
            for (int j = 0; j < name.length(); j++) {
                char c = name.charAt(j);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                    throw new ScramFormatException(what + " message has an extension whose name is not alphabetic");
                }
            }
            extensions.put(name, parts[i].substring(eq + 1));
        }
        return Collections.unmodifiableMap(extensions);
    }

    private static byte[] base64(String value, String what) throws ScramFormatException {
        if (value.length() % 4 != 0) {
            throw new ScramFormatException(what + " is not padded base64");
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new ScramFormatException(what + " is not base64");
        }
    }
}
