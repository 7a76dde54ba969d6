package dev.pgkafka.application.service.security.oauth;

/** The key set could not be read at start: the OAUTHBEARER listener cannot validate any token. */
public final class JwksUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JwksUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
