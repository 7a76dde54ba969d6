package dev.pgkafka.adapter.kafka.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher.Outcome;
import dev.pgkafka.application.port.in.AuthenticationUseCase;
import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * The SASL state machine of one connection, frame by frame, with a one-step mechanism whose token
 * is "user:password" and whose credentials expire when the test says.
 */
class SaslAuthenticatorTest {
    private static final ByteBuffer API_VERSIONS_ANSWER = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 42});

    /** A mechanism TEST: one token "user:password", accepted when password is "right". */
    private static final class TestLogins implements AuthenticationUseCase {
        long credentialExpiresAtMs = Long.MAX_VALUE;
        boolean storageDown;

        @Override
        public List<String> enabledMechanisms(String listenerName) {
            return List.of("TEST", "OTHER");
        }

        @Override
        public SaslExchange startSasl(String listenerName, String mechanism, String clientHost) {
            return new SaslExchange() {
                private KafkaPrincipal principal;

                @Override
                public String mechanism() {
                    return mechanism;
                }

                @Override
                public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
                    if (storageDown) {
                        throw new StorageUnavailableException(StorageUnavailableException.Reason.UNREACHABLE,
                                "read the SCRAM credentials failed", null);
                    }
                    String[] parts = new String(clientMessage, StandardCharsets.UTF_8).split(":");
                    if (parts.length != 2 || !parts[1].equals("right")) {
                        throw new AuthenticationFailedException("Authentication failed: Invalid username or password");
                    }
                    principal = KafkaPrincipal.user(parts[0]);
                    return "welcome".getBytes(StandardCharsets.UTF_8);
                }

                @Override
                public boolean isComplete() {
                    return principal != null;
                }

                @Override
                public KafkaPrincipal principal() {
                    return principal;
                }

                @Override
                public long credentialExpiresAtMs() {
                    return credentialExpiresAtMs;
                }
            };
        }

        @Override
        public KafkaPrincipal authenticatePassword(String username, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KafkaPrincipal authenticateBearer(String token) {
            throw new UnsupportedOperationException();
        }
    }

    private final TestLogins logins = new TestLogins();
    private long now = 1_000_000_000L;

    private SaslAuthenticator authenticator(long maxReauthMs) {
        return new SaslAuthenticator("SASL_PLAINTEXT", "127.0.0.1", "test connection", logins, maxReauthMs, 100);
    }

    private SaslAuthenticator.Step send(SaslAuthenticator sasl, ApiMessage body, short version) {
        return sasl.handle(frame(body, version), now, f -> new Outcome.Reply(API_VERSIONS_ANSWER.duplicate(), false));
    }

    @Test
    void credentialsThatCannotBeReadCloseTheConnectionInsteadOfFailingTheLogin() {
        SaslAuthenticator sasl = authenticator(0);
        send(sasl, new SaslHandshakeRequestData().setMechanism("TEST"), (short) 1);
        logins.storageDown = true;
        SaslAuthenticator.Step step = send(sasl, authenticate("alice:right"), (short) 2);
        // clients treat SASL_AUTHENTICATION_FAILED as fatal; a closed connection they retry after their backoff
        Outcome.NoReply closed = assertInstanceOf(Outcome.NoReply.class, step.outcome());
        assertTrue(closed.closeAfter());
        assertFalse(sasl.isAuthenticated());
    }

    @Test
    void apiVersionsHandshakeAndAuthenticateLogTheClientIn() {
        SaslAuthenticator sasl = authenticator(0);
        assertEquals(API_VERSIONS_ANSWER, reply(send(sasl, new ApiVersionsRequestData(), (short) 3)).bytes());
        SaslHandshakeResponseData handshake = (SaslHandshakeResponseData) body(ApiKeys.SASL_HANDSHAKE, (short) 1,
                send(sasl, new SaslHandshakeRequestData().setMechanism("TEST"), (short) 1));
        assertEquals(Errors.NONE.code(), handshake.errorCode());
        assertEquals(List.of("TEST", "OTHER"), handshake.mechanisms());
        assertFalse(sasl.isAuthenticated());

        SaslAuthenticator.Step step = send(sasl, authenticate("alice:right"), (short) 2);
        SaslAuthenticateResponseData answer = (SaslAuthenticateResponseData) body(ApiKeys.SASL_AUTHENTICATE, (short) 2, step);
        assertEquals(Errors.NONE.code(), answer.errorCode());
        assertArrayEquals("welcome".getBytes(StandardCharsets.UTF_8), answer.authBytes());
        assertEquals(0, answer.sessionLifetimeMs(), "no connections.max.reauth.ms and a credential that never expires");
        assertEquals(KafkaPrincipal.user("alice"), step.authenticated());
        assertTrue(sasl.isAuthenticated());
        assertFalse(sasl.wants(frame(new MetadataRequestData(), (short) 12), now), "requests go to the dispatcher now");
    }

    @Test
    void anythingButApiVersionsOrHandshakeBeforeAuthenticationClosesTheConnection() {
        SaslAuthenticator sasl = authenticator(0);
        Outcome outcome = send(sasl, new MetadataRequestData(), (short) 12).outcome();
        assertInstanceOf(Outcome.Close.class, outcome);
        assertTrue(((Outcome.Close) outcome).reason().contains("METADATA"), outcome.toString());
        // and the connection stays refused
        assertInstanceOf(Outcome.Close.class, send(sasl, new SaslHandshakeRequestData().setMechanism("TEST"),
                (short) 1).outcome());
    }

    @Test
    void aSecondApiVersionsAfterTheFirstIsRefusedAsKafkaDoes() {
        SaslAuthenticator sasl = authenticator(0);
        send(sasl, new ApiVersionsRequestData(), (short) 3);
        assertInstanceOf(Outcome.Close.class, send(sasl, new ApiVersionsRequestData(), (short) 3).outcome());
    }

    @Test
    void aRequestOtherThanSaslAuthenticateAfterTheHandshakeGetsAnErrorAnswerAndTheClose() {
        SaslAuthenticator sasl = authenticator(0);
        send(sasl, new SaslHandshakeRequestData().setMechanism("TEST"), (short) 1);
        SaslAuthenticator.Step step = send(sasl, new MetadataRequestData(), (short) 12);
        assertTrue(reply(step).closeAfter());
    }

    @Test
    void anUnknownMechanismIsAnsweredWithTheEnabledOnesAndTheConnectionCloses() {
        SaslAuthenticator sasl = authenticator(0);
        SaslAuthenticator.Step step = send(sasl, new SaslHandshakeRequestData().setMechanism("GSSAPI"), (short) 1);
        assertTrue(reply(step).closeAfter());
        SaslHandshakeResponseData answer = (SaslHandshakeResponseData) body(ApiKeys.SASL_HANDSHAKE, (short) 1, step);
        assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), answer.errorCode());
        assertEquals(List.of("TEST", "OTHER"), answer.mechanisms());
    }

    @Test
    void aWrongPasswordIsAnsweredWithTheMechanismsMessageAfterTheDelayThenClosed() {
        SaslAuthenticator sasl = authenticator(0);
        send(sasl, new SaslHandshakeRequestData().setMechanism("TEST"), (short) 1);
        SaslAuthenticator.Step step = send(sasl, authenticate("alice:wrong"), (short) 1);
        SaslAuthenticateResponseData answer = (SaslAuthenticateResponseData) body(ApiKeys.SASL_AUTHENTICATE, (short) 1, step);
        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), answer.errorCode());
        assertEquals("Authentication failed: Invalid username or password", answer.errorMessage());
        assertTrue(reply(step).closeAfter());
        assertEquals(100, step.delayMs(), "connection.failed.authentication.delay.ms");
        assertNull(step.authenticated());
        assertFalse(sasl.isAuthenticated());
    }

    @Test
    void handshakeVersionZeroCarriesRawTokensAndAFailureOnlyCloses() {
        SaslAuthenticator sasl = authenticator(0);
        send(sasl, new SaslHandshakeRequestData().setMechanism("TEST"), (short) 0);
        SaslAuthenticator.Step step = sasl.handle(ByteBuffer.wrap("bob:right".getBytes(StandardCharsets.UTF_8)), now,
                f -> null);
        ByteBuffer raw = reply(step).bytes();
        assertEquals(7, raw.getInt());
        assertEquals("welcome", StandardCharsets.UTF_8.decode(raw).toString());
        assertEquals(KafkaPrincipal.user("bob"), step.authenticated());

        SaslAuthenticator failing = authenticator(0);
        send(failing, new SaslHandshakeRequestData().setMechanism("TEST"), (short) 0);
        assertInstanceOf(Outcome.Close.class, failing.handle(ByteBuffer.wrap("bob:wrong".getBytes(StandardCharsets.UTF_8)),
                now, f -> null).outcome());
    }

    @Test
    void sessionsLastConnectionsMaxReauthMsOrUntilTheCredentialExpiresWhicheverIsSooner() {
        SaslAuthenticator sasl = authenticator(60_000);
        assertEquals(60_000, login(sasl, "alice", (short) 2).sessionLifetimeMs());

        logins.credentialExpiresAtMs = System.currentTimeMillis() + 10_000;
        long lifetime = login(authenticator(60_000), "alice", (short) 2).sessionLifetimeMs();
        assertTrue(lifetime > 8_000 && lifetime <= 10_000, "the token's expiry bounds the session: " + lifetime);
        long withoutMaxReauth = login(authenticator(0), "alice", (short) 2).sessionLifetimeMs();
        assertTrue(withoutMaxReauth > 8_000 && withoutMaxReauth <= 10_000, String.valueOf(withoutMaxReauth));
    }

    @Test
    void anExpiredSessionClosesAtItsNextRequestUnlessItReauthenticates() {
        SaslAuthenticator sasl = authenticator(1_000);
        login(sasl, "alice", (short) 1);
        ByteBuffer metadata = frame(new MetadataRequestData(), (short) 12);
        assertFalse(sasl.wants(metadata, now + TimeUnit.MILLISECONDS.toNanos(999)));
        now += TimeUnit.MILLISECONDS.toNanos(1_000);
        assertTrue(sasl.wants(metadata, now));
        assertInstanceOf(Outcome.Close.class, sasl.handle(metadata, now, f -> null).outcome());
    }

    @Test
    void reauthenticationRenewsTheSessionWithTheSameMechanismAndPrincipal() {
        SaslAuthenticator sasl = authenticator(1_000);
        login(sasl, "alice", (short) 2);
        now += TimeUnit.MILLISECONDS.toNanos(900);
        assertTrue(sasl.wants(frame(new SaslHandshakeRequestData().setMechanism("TEST"), (short) 1), now));
        SaslAuthenticateResponseData renewed = login(sasl, "alice", (short) 2);
        assertEquals(Errors.NONE.code(), renewed.errorCode());
        now += TimeUnit.MILLISECONDS.toNanos(900);
        assertFalse(sasl.wants(frame(new MetadataRequestData(), (short) 12), now), "the renewed session lasts");
    }

    @Test
    void reauthenticationAsSomeoneElseOrWithAnotherMechanismFails() {
        SaslAuthenticator sasl = authenticator(1_000);
        login(sasl, "alice", (short) 2);
        SaslAuthenticateResponseData other = login(sasl, "mallory", (short) 2);
        assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), other.errorCode());
        assertEquals("Cannot change principals during re-authentication from User.alice: User.mallory",
                other.errorMessage());

        SaslAuthenticator second = authenticator(1_000);
        login(second, "alice", (short) 2);
        send(second, new SaslHandshakeRequestData().setMechanism("OTHER"), (short) 1);
        SaslAuthenticateResponseData bad = (SaslAuthenticateResponseData) body(ApiKeys.SASL_AUTHENTICATE, (short) 2,
                send(second, authenticate("alice:right"), (short) 2));
        assertEquals("SASL mechanism 'OTHER' requested by client is not supported for re-authentication of mechanism "
                + "'TEST'", bad.errorMessage());
    }

    private SaslAuthenticateResponseData login(SaslAuthenticator sasl, String user, short version) {
        send(sasl, new SaslHandshakeRequestData().setMechanism("TEST"), (short) 1);
        return (SaslAuthenticateResponseData) body(ApiKeys.SASL_AUTHENTICATE, version,
                send(sasl, authenticate(user + ":right"), version));
    }

    private static SaslAuthenticateRequestData authenticate(String token) {
        return new SaslAuthenticateRequestData().setAuthBytes(token.getBytes(StandardCharsets.UTF_8));
    }

    private static Outcome.Reply reply(SaslAuthenticator.Step step) {
        return assertInstanceOf(Outcome.Reply.class, step.outcome());
    }

    private static ApiMessage body(ApiKeys key, short version, SaslAuthenticator.Step step) {
        ByteBuffer bytes = reply(step).bytes().duplicate();
        bytes.getInt(); // size
        ResponseHeader.parse(bytes, key.responseHeaderVersion(version));
        ApiMessage message = key == ApiKeys.SASL_HANDSHAKE ? new SaslHandshakeResponseData()
                : new SaslAuthenticateResponseData();
        message.read(new ByteBufferAccessor(bytes), version);
        return message;
    }

    private static ByteBuffer frame(ApiMessage body, short version) {
        ApiKeys key = ApiKeys.forId(body.apiKey());
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(7).setClientId("test");
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(header.size(cache, headerVersion) + body.size(cache, version));
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        header.write(out, cache, headerVersion);
        body.write(out, cache, version);
        return buffer.flip();
    }
}
