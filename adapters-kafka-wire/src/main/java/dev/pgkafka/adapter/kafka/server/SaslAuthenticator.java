package dev.pgkafka.adapter.kafka.server;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher.Outcome;
import dev.pgkafka.adapter.kafka.protocol.StorageErrors;
import dev.pgkafka.application.port.in.AuthenticationUseCase;
import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * The SASL side of one connection on a SASL listener, as Kafka's {@code SaslServerAuthenticator}
 * runs it: before authentication only ApiVersions and SaslHandshake are answered, then
 * SaslAuthenticate requests (handshake v1) or raw size-prefixed tokens (handshake v0, pre-KIP-152)
 * carry the mechanism's exchange. Anything else closes the connection. Once authenticated, a new
 * SaslHandshake starts a re-authentication (KIP-368), which must keep the mechanism and the
 * principal; a session whose lifetime ended closes the connection at its next request.
 */
final class SaslAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(SaslAuthenticator.class);

    private enum State {
        HANDSHAKE_OR_VERSIONS, HANDSHAKE, AUTHENTICATE, AUTHENTICATE_RAW, REAUTH_BAD_MECHANISM, COMPLETE, FAILED
    }

    /** What the connection does with one frame the authenticator took. */
    record Step(Outcome outcome, KafkaPrincipal authenticated, long delayMs) {
        static Step reply(Outcome outcome) {
            return new Step(outcome, null, 0);
        }
    }

    private final String listenerName;
    private final String clientHost;
    private final String connectionDescription;
    private final AuthenticationUseCase authentication;
    private final long maxReauthMs;
    private final int failedAuthenticationDelayMs;

    private State state = State.HANDSHAKE_OR_VERSIONS;
    private SaslExchange exchange;
    private String mechanism;
    private KafkaPrincipal principal;
    /** System.nanoTime() after which the session is over; Long.MAX_VALUE for never. */
    private long sessionExpiresAtNanos = Long.MAX_VALUE;
    private boolean reauthenticating;
    private String badMechanismMessage;

    SaslAuthenticator(String listenerName, String clientHost, String connectionDescription,
                      AuthenticationUseCase authentication, long maxReauthMs, int failedAuthenticationDelayMs) {
        this.listenerName = listenerName;
        this.clientHost = clientHost;
        this.connectionDescription = connectionDescription;
        this.authentication = authentication;
        this.maxReauthMs = maxReauthMs;
        this.failedAuthenticationDelayMs = failedAuthenticationDelayMs;
    }

    boolean isAuthenticated() {
        return state == State.COMPLETE;
    }

    /** Whether this frame is the authenticator's to handle rather than the dispatcher's. */
    boolean wants(ByteBuffer frame, long nowNanos) {
        if (state != State.COMPLETE) {
            return true;
        }
        return RequestDispatcher.peekApiKey(frame) == ApiKeys.SASL_HANDSHAKE || nowNanos - sessionExpiresAtNanos >= 0;
    }

    /**
     * Handles one frame.
     *
     * @param dispatcher answers ApiVersions during the handshake
     */
    Step handle(ByteBuffer frame, long nowNanos, DispatchApiVersions dispatcher) {
        if (state == State.COMPLETE && RequestDispatcher.peekApiKey(frame) != ApiKeys.SASL_HANDSHAKE) {
            LOG.info("Closing connection {} as {}: its SASL session expired and it did not re-authenticate",
                    connectionDescription, principal);
            state = State.FAILED;
            return Step.reply(new Outcome.Close("SASL session expired"));
        }
        return switch (state) {
            case AUTHENTICATE_RAW -> rawToken(frame, nowNanos);
            case AUTHENTICATE, REAUTH_BAD_MECHANISM -> authenticateRequest(frame, nowNanos);
            case FAILED -> Step.reply(new Outcome.Close("authentication failed"));
            default -> kafkaRequest(frame, dispatcher);
        };
    }

    /** Answers ApiVersions as the dispatcher does. */
    interface DispatchApiVersions {
        Outcome apiVersions(ByteBuffer frame);
    }

    private Step kafkaRequest(ByteBuffer frame, DispatchApiVersions dispatcher) {
        ApiKeys key = RequestDispatcher.peekApiKey(frame);
        if (key == ApiKeys.API_VERSIONS && state == State.HANDSHAKE_OR_VERSIONS) {
            // a too-new ApiVersions answered with our range may be retried at a version we know
            boolean supported = isSupportedVersion(frame);
            Outcome outcome = dispatcher.apiVersions(frame);
            if (supported) {
                state = State.HANDSHAKE;
            }
            return Step.reply(outcome);
        }
        if (key != ApiKeys.SASL_HANDSHAKE) {
            state = State.FAILED;
            return Step.reply(new Outcome.Close("Unexpected Kafka request of type " + (key == null ? "(unknown)" : key)
                    + " during SASL handshake."));
        }
        RequestDispatcher.Decoded decoded;
        try {
            decoded = RequestDispatcher.decode(frame);
        } catch (IllegalArgumentException e) {
            state = State.FAILED;
            return Step.reply(new Outcome.Close(e.getMessage()));
        }
        String requested = ((SaslHandshakeRequestData) decoded.request().data()).mechanism();
        List<String> enabled = authentication.enabledMechanisms(listenerName);
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(enabled);
        if (!enabled.contains(requested)) {
            LOG.info("Failed authentication with {}: SASL mechanism '{}' requested by the client is not enabled "
                    + "on listener {} (enabled: {})", connectionDescription, requested, listenerName, enabled);
            state = State.FAILED;
            return Step.reply(new Outcome.Reply(RequestDispatcher.serialize(decoded.header(),
                    response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code())), true));
        }
        if (state == State.COMPLETE) {
            // re-authentication (KIP-368): the mechanism must stay the same
            reauthenticating = true;
            if (!requested.equals(mechanism)) {
                badMechanismMessage = "SASL mechanism '" + requested + "' requested by client is not supported for "
                        + "re-authentication of mechanism '" + mechanism + "'";
                state = State.REAUTH_BAD_MECHANISM;
                return Step.reply(new Outcome.Reply(RequestDispatcher.serialize(decoded.header(),
                        response.setErrorCode(Errors.NONE.code())), false));
            }
        }
        exchange = authentication.startSasl(listenerName, requested, clientHost);
        mechanism = requested;
        state = decoded.header().apiVersion() >= 1 ? State.AUTHENTICATE : State.AUTHENTICATE_RAW;
        return Step.reply(new Outcome.Reply(RequestDispatcher.serialize(decoded.header(),
                response.setErrorCode(Errors.NONE.code())), false));
    }

    private static boolean isSupportedVersion(ByteBuffer frame) {
        try {
            RequestDispatcher.decode(frame);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Handshake v1: the exchange travels in SaslAuthenticate requests. */
    private Step authenticateRequest(ByteBuffer frame, long nowNanos) {
        ApiKeys key = RequestDispatcher.peekApiKey(frame);
        RequestDispatcher.Decoded decoded;
        try {
            decoded = RequestDispatcher.decode(frame);
        } catch (IllegalArgumentException e) {
            state = State.FAILED;
            return Step.reply(new Outcome.Close(e.getMessage()));
        }
        if (key != ApiKeys.SASL_AUTHENTICATE) {
            state = State.FAILED;
            String message = "Unexpected Kafka request of type " + key + " during SASL authentication.";
            AbstractRequest request = decoded.request();
            Outcome answer = new Outcome.Reply(RequestDispatcher.serialize(decoded.header(),
                    request.getErrorResponse(0, new org.apache.kafka.common.errors.IllegalSaslStateException(message))
                            .data()), true);
            LOG.info("Failed authentication with {}: {}", connectionDescription, message);
            return new Step(answer, null, 0);
        }
        byte[] token = ((SaslAuthenticateRequestData) decoded.request().data()).authBytes();
        try {
            if (state == State.REAUTH_BAD_MECHANISM) {
                throw new AuthenticationFailedException(badMechanismMessage);
            }
            byte[] challenge = exchange.evaluate(token);
            long lifetimeMs = 0;
            KafkaPrincipal authenticated = null;
            if (exchange.isComplete()) {
                authenticated = complete(nowNanos);
                lifetimeMs = sessionLifetimeMs;
            }
            SaslAuthenticateResponseData response = new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setAuthBytes(challenge == null ? new byte[0] : challenge);
            if (decoded.header().apiVersion() >= 1) {
                response.setSessionLifetimeMs(lifetimeMs); // v0 clients cannot re-authenticate and are not told
            }
            return new Step(new Outcome.Reply(RequestDispatcher.serialize(decoded.header(), response), false),
                    authenticated, 0);
        } catch (AuthenticationFailedException | RuntimeException e) {
            StorageUnavailableException outage = StorageErrors.unavailability(e);
            if (outage != null) {
                return storageUnavailable(outage);
            }
            state = State.FAILED;
            String message = clientMessage(e);
            logFailure(message);
            SaslAuthenticateResponseData response = new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(message);
            return new Step(new Outcome.Reply(RequestDispatcher.serialize(decoded.header(), response), true), null,
                    failedAuthenticationDelayMs);
        }
    }

    /** Handshake v0: the exchange travels as raw size-prefixed tokens, and a failure can only close. */
    private Step rawToken(ByteBuffer frame, long nowNanos) {
        byte[] token = new byte[frame.remaining()];
        frame.duplicate().get(token);
        try {
            byte[] challenge = exchange.evaluate(token);
            KafkaPrincipal authenticated = exchange.isComplete() ? complete(nowNanos) : null;
            byte[] body = challenge == null ? new byte[0] : challenge;
            ByteBuffer out = ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).flip();
            return new Step(new Outcome.Reply(out, false), authenticated, 0);
        } catch (AuthenticationFailedException | RuntimeException e) {
            StorageUnavailableException outage = StorageErrors.unavailability(e);
            if (outage != null) {
                return storageUnavailable(outage);
            }
            state = State.FAILED;
            logFailure(clientMessage(e));
            return new Step(new Outcome.Close("authentication failed"), null, failedAuthenticationDelayMs);
        }
    }

    /**
     * The credentials could not be read because the storage is unavailable: the client's password may
     * be right, and clients treat an authentication failure as fatal, so the connection is closed
     * without an answer instead; clients reconnect after their backoff. Quietly: the storage adapter
     * reports the outage.
     */
    private Step storageUnavailable(StorageUnavailableException e) {
        state = State.FAILED;
        LOG.debug("{}: closing during SASL {} authentication, the storage is {}", connectionDescription, mechanism,
                e.reason().text());
        return Step.reply(new Outcome.NoReply(true));
    }

    private long sessionLifetimeMs;

    private KafkaPrincipal complete(long nowNanos) throws AuthenticationFailedException {
        KafkaPrincipal authenticated = exchange.principal();
        if (reauthenticating && !authenticated.equals(principal)) {
            throw new AuthenticationFailedException("Cannot change principals during re-authentication from "
                    + principal.type() + "." + principal.name() + ": " + authenticated.type() + "." + authenticated.name());
        }
        long nowMs = System.currentTimeMillis();
        long credentialExpiresAt = exchange.credentialExpiresAtMs();
        boolean credentialExpires = credentialExpiresAt != Long.MAX_VALUE;
        boolean maxReauthSet = maxReauthMs > 0;
        sessionLifetimeMs = 0;
        sessionExpiresAtNanos = Long.MAX_VALUE;
        if (credentialExpires || maxReauthSet) {
            long untilExpiry = Math.max(0, credentialExpiresAt - nowMs);
            sessionLifetimeMs = !credentialExpires ? maxReauthMs
                    : !maxReauthSet ? untilExpiry : Math.min(untilExpiry, maxReauthMs);
            sessionExpiresAtNanos = nowNanos + sessionLifetimeMs * 1_000_000L;
        }
        if (reauthenticating) {
            LOG.debug("{} re-authenticated as {} with {}", connectionDescription, authenticated, mechanism);
        } else {
            LOG.debug("{} authenticated as {} with {}", connectionDescription, authenticated, mechanism);
        }
        principal = authenticated;
        state = State.COMPLETE;
        reauthenticating = false;
        exchange = null;
        return authenticated;
    }

    /**
     * What the client is told: the mechanism's own refusal, or for anything unexpected Kafka's
     * generic wording, which gives nothing away about users.
     */
    private String clientMessage(Exception e) {
        if (e instanceof AuthenticationFailedException) {
            return e.getMessage();
        }
        LOG.warn("{} failed unexpectedly during SASL {} authentication", connectionDescription, mechanism, e);
        return "Authentication failed during " + (reauthenticating ? "re-authentication" : "authentication")
                + " due to invalid credentials with SASL mechanism " + mechanism;
    }

    private void logFailure(String message) {
        LOG.info("Failed {} with {} using {}: {}", reauthenticating ? "re-authentication" : "authentication",
                connectionDescription, mechanism, message);
    }
}
