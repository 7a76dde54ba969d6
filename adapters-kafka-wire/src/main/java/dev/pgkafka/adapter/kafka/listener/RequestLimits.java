package dev.pgkafka.adapter.kafka.listener;

/**
 * What bounds the work one request may make the broker do besides the memory of its frame
 * ({@link ConnectionLimits}); docs/adr/0016-request-limits.md explains the choices. Fetch's bounds
 * ({@code fetch.max.bytes}, {@code pgkafka.fetch.max.wait.ms}) are the fetch service's.
 *
 * @param produceMaxUncompressedRequestBytes {@code pgkafka.produce.max.uncompressed.request.bytes}: what the
 *                                           decoded records of a produce request (with the requests of the
 *                                           same producer appended together with it) may take; batches
 *                                           beyond it answer MESSAGE_TOO_LARGE
 */
public record RequestLimits(long produceMaxUncompressedRequestBytes) {
    /**
     * The default of {@code pgkafka.produce.max.uncompressed.request.bytes}: 256 MiB, two and a half times
     * Kafka's default {@code socket.request.max.bytes}, so a request of that size decodes unless its records
     * are tiny or compress more than 2.5 times.
     */
    public static final long DEFAULT_PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES = 256L * 1024 * 1024;

    public RequestLimits {
        if (produceMaxUncompressedRequestBytes <= 0) {
            throw new IllegalArgumentException("pgkafka.produce.max.uncompressed.request.bytes must be positive, not "
                    + produceMaxUncompressedRequestBytes);
        }
    }

    public static RequestLimits defaults() {
        return new RequestLimits(DEFAULT_PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES);
    }
}
