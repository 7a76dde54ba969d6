package dev.pgkafka.application.service.security.oauth;

import java.util.Optional;

import dev.pgkafka.domain.security.oauth.JsonWebKeySet;

/**
 * Where the identity provider's public keys come from ({@code sasl.oauthbearer.jwks.endpoint.url}):
 * always the last key set read successfully, kept fresh in the background. Thread-safe.
 */
public interface JwksSource extends AutoCloseable {

    /** The current key set: the last one read successfully. */
    JsonWebKeySet keys();

    /**
     * A token named a key id the current set lacks, perhaps because the provider rotated its keys:
     * reads the keys again now, unless that was done too recently (so a stream of made-up key ids cannot
     * make the broker hammer the provider), and waits a bounded time for the answer.
     *
     * @return the new key set to retry with, or empty when no new set could be had
     */
    Optional<JsonWebKeySet> refreshForUnknownKey(String keyId);

    /** Where the keys come from, for log lines. */
    String location();

    /** Stops the background refresh; {@link #keys()} keeps answering the last set. */
    @Override
    void close();
}
