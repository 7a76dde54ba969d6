package dev.pgkafka.e2e;

import java.io.IOException;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslException;

import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

/** A SCRAM login on a raw connection with kafka-clients' own SCRAM client, step by step. */
final class RawScram {
    private RawScram() {
    }

    /** Handshake v1 and SaslAuthenticate v2 until the login completes; fails the test otherwise. */
    static void login(RawKafkaConnection raw, String mechanism, String user, String password)
            throws IOException, SaslException {
        ScramSaslClient client = client(mechanism, user, password);
        handshake(raw, mechanism);
        byte[] token = client.evaluateChallenge(new byte[0]);
        while (true) {
            SaslAuthenticateResponse answer = authenticate(raw, token);
            if (answer.data().errorCode() != Errors.NONE.code()) {
                throw new AssertionError("login failed: " + answer.data().errorMessage());
            }
            if (client.isComplete()) {
                return;
            }
            token = client.evaluateChallenge(answer.data().authBytes());
            if (client.isComplete()) {
                return; // the server-final message was the last
            }
        }
    }

    static ScramSaslClient client(String mechanism, String user, String password) {
        try {
            return newClient(mechanism, user, password);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ScramSaslClient newClient(String mechanism, String user, String password)
            throws java.security.NoSuchAlgorithmException {
        return new ScramSaslClient(ScramMechanism.forMechanismName(mechanism), callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword(password.toCharArray());
                } else if (c instanceof ScramExtensionsCallback e) {
                    e.extensions(Map.of());
                }
            }
        });
    }

    static void handshake(RawKafkaConnection raw, String mechanism) throws IOException {
        SaslHandshakeResponse handshake = raw.request(new SaslHandshakeRequestData().setMechanism(mechanism), (short) 1,
                SaslHandshakeResponse.class);
        if (handshake.data().errorCode() != Errors.NONE.code()) {
            throw new AssertionError("handshake refused: " + Errors.forCode(handshake.data().errorCode()));
        }
    }

    static SaslAuthenticateResponse authenticate(RawKafkaConnection raw, byte[] token) throws IOException {
        return raw.request(new SaslAuthenticateRequestData().setAuthBytes(token), (short) 2,
                SaslAuthenticateResponse.class);
    }
}
