package dev.pgkafka.domain.security.scram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.PasswordExchange;
import dev.pgkafka.domain.security.SaslFailures;
import dev.pgkafka.domain.security.scram.ScramMessages.ClientFinalMessage;
import dev.pgkafka.domain.security.scram.ScramMessages.ClientFirstMessage;
import dev.pgkafka.domain.security.scram.ScramMessages.ServerFinalMessage;
import dev.pgkafka.domain.security.scram.ScramMessages.ServerFirstMessage;

/**
 * The server side of one SCRAM login (RFC 5802, 5.1), with Kafka's checks and answers: the
 * client-first message names the user, whose credential is looked up; the server answers with the
 * salt, iterations and the nonces; the client-final message must repeat exactly the combined nonce
 * (Kafka's fix for CVE-2024-56128), echo the GS2 header as channel binding, and prove the password;
 * the server answers with its signature. Every failure but a different authorization id is told to
 * the client in Kafka's one sentence; {@link #failureReason()} keeps the real reason for the log.
 * Not thread-safe: one per login.
 */
public final class ScramServerExchange implements PasswordExchange {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String AUTHORIZATION_ID_DIFFERS =
            "Authentication failed: Client requested an authorization id that is different from username";

    /** Finds a user's credential for this exchange's mechanism; may throw when storage fails. */
    @FunctionalInterface
    public interface CredentialLookup {
        Optional<ScramCredential> find(String username);
    }

    private enum State { RECEIVE_CLIENT_FIRST_MESSAGE, RECEIVE_CLIENT_FINAL_MESSAGE, COMPLETE, FAILED }

    private final ScramMechanism mechanism;
    private final CredentialLookup credentials;
    private final Supplier<String> serverNonces;
    private State state = State.RECEIVE_CLIENT_FIRST_MESSAGE;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;
    private ScramCredential credential;
    private String username;
    private String failureReason;

    public ScramServerExchange(ScramMechanism mechanism, CredentialLookup credentials) {
        this(mechanism, credentials, ScramServerExchange::randomNonce);
    }

    /** With chosen server nonces (tests of the RFC's examples). */
    public ScramServerExchange(ScramMechanism mechanism, CredentialLookup credentials, Supplier<String> serverNonces) {
        this.mechanism = mechanism;
        this.credentials = credentials;
        this.serverNonces = serverNonces;
    }

    public ScramMechanism mechanism() {
        return mechanism;
    }

    /**
     * Takes the client's next message and returns the server's.
     *
     * @throws AuthenticationFailedException with the message Kafka sends the client
     */
    @Override
    public String mechanismName() {
        return mechanism().mechanismName();
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
        try {
            return switch (state) {
                case RECEIVE_CLIENT_FIRST_MESSAGE -> receiveClientFirst(clientMessage);
                case RECEIVE_CLIENT_FINAL_MESSAGE -> receiveClientFinal(clientMessage);
                // a client that goes on after the end; Kafka closes such a connection
                default -> throw refuse("Unexpected challenge in Sasl server state " + state,
                        "message received in state " + state);
            };
        } catch (AuthenticationFailedException e) {
            clear();
            state = State.FAILED;
            throw e;
        }
    }

    @Override
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /** The user who logged in, once complete. */
    @Override
    public String username() {
        if (!isComplete()) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return username;
    }

    /** Why the login failed, for the broker's log (never sent to the client); null unless it failed. */
    @Override
    public String failureReason() {
        return failureReason;
    }

    private byte[] receiveClientFirst(byte[] message) throws AuthenticationFailedException {
        try {
            clientFirst = ClientFirstMessage.parse(message);
        } catch (ScramFormatException e) {
            throw refuseInvalid("invalid client-first message: " + e.getMessage());
        }
        if (clientFirst.tokenAuthenticated()) {
            throw refuseInvalid("delegation token logins (tokenauth) are not supported");
        }
        String user = clientFirst.username();
        Optional<ScramCredential> found;
        try {
            found = credentials.find(user);
        } catch (RuntimeException e) {
            throw refuseInvalid("credentials could not be obtained: " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw refuseInvalid("no " + mechanism.mechanismName() + " credential for the user");
        }
        if (!clientFirst.authorizationId().isEmpty() && !clientFirst.authorizationId().equals(user)) {
            throw refuse(AUTHORIZATION_ID_DIFFERS, "requested authorization id differs from the user name");
        }
        ScramCredential c = found.get();
        if (c.iterations() < mechanism.minIterations() || c.iterations() > mechanism.maxIterations()) {
            throw refuseInvalid("stored credential has " + c.iterations() + " iterations, outside "
                    + mechanism.minIterations() + ".." + mechanism.maxIterations());
        }
        credential = c;
        username = user;
        serverFirst = new ServerFirstMessage(clientFirst.nonce(), serverNonces.get(), c.salt(), c.iterations());
        state = State.RECEIVE_CLIENT_FINAL_MESSAGE;
        return serverFirst.toBytes();
    }

    private byte[] receiveClientFinal(byte[] message) throws AuthenticationFailedException {
        ClientFinalMessage clientFinal;
        try {
            clientFinal = ClientFinalMessage.parse(message);
        } catch (ScramFormatException e) {
            throw refuseInvalid("invalid client-final message: " + e.getMessage());
        }
        // CVE-2024-56128: the nonce must be exactly the one of the server-first message, not just end with it
        if (!clientFinal.nonce().equals(serverFirst.nonce())) {
            throw refuseInvalid("Invalid client nonce in the final client message.");
        }
        String expectedBinding = Base64.getEncoder()
                .encodeToString(clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8));
        if (!clientFinal.channelBinding().equals(expectedBinding)) {
            throw refuseInvalid("channel binding does not echo the GS2 header");
        }
        byte[] proof = clientFinal.proof();
        if (proof.length != mechanism.hashLength()) {
            throw refuseInvalid("client proof has " + proof.length + " bytes, expected " + mechanism.hashLength());
        }
        String authMessage = ScramMessages.authMessage(clientFirst, serverFirst, clientFinal.withoutProof());
        byte[] storedKey = credential.storedKey();
        byte[] clientSignature = mechanism.signature(storedKey, authMessage);
        byte[] computedStoredKey = mechanism.hash(ScramMechanism.xor(clientSignature, proof));
        if (!MessageDigest.isEqual(computedStoredKey, storedKey)) {
            throw refuseInvalid("Invalid client credentials");
        }
        byte[] serverSignature = mechanism.signature(credential.serverKey(), authMessage);
        clear();
        state = State.COMPLETE;
        return new ServerFinalMessage(serverSignature).toBytes();
    }

    /** A failure told to the client in Kafka's one sentence for the mechanism. */
    private AuthenticationFailedException refuseInvalid(String reason) {
        return refuse(SaslFailures.invalidCredentials(mechanism.mechanismName()), reason);
    }

    private AuthenticationFailedException refuse(String clientMessage, String reason) {
        failureReason = reason;
        return new AuthenticationFailedException(clientMessage);
    }

    private void clear() {
        clientFirst = null;
        serverFirst = null;
        credential = null;
    }

    /** 144 random bits as 24 characters of URL-safe base64: printable, and never a comma. */
    private static String randomNonce() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
