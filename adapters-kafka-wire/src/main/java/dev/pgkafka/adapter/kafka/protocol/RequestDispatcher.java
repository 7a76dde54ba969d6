package dev.pgkafka.adapter.kafka.protocol;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.application.port.in.ParkedTime;
import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.application.port.out.StorageUnavailableException;

/**
 * Turns one request frame into one outcome: parse the header, negotiate the version in one place,
 * parse the body with kafka-clients' generated classes, call the API's handler, serialise the answer.
 * Malformed requests end in {@link Outcome.Close}, as Apache Kafka closes such connections. Every
 * answered request counts against its client's quotas ({@link RequestQuotas}); a throttled answer
 * tells its connection how long to pause.
 */
public final class RequestDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    /** apiKey(2) + apiVersion(2) + correlationId(4): anything shorter is not a request. */
    private static final int MIN_HEADER_BYTES = 8;

    private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
    private final RequestQuotas quotas;

    /** Without client quotas. */
    public RequestDispatcher(Collection<ApiHandler> handlers) {
        this(handlers, ThrottlingUseCase.UNLIMITED);
    }

    public RequestDispatcher(Collection<ApiHandler> handlers, ThrottlingUseCase throttling) {
        this.quotas = new RequestQuotas(throttling);
        for (ApiHandler h : handlers) {
            if (!SupportedVersions.isKnown(h.apiKey())) {
                throw new IllegalArgumentException("no advertised version range for " + h.apiKey());
            }
            if (this.handlers.put(h.apiKey(), h) != null) {
                throw new IllegalArgumentException("two handlers for " + h.apiKey());
            }
        }
    }

    /** The APIs this broker answers, for ApiVersions. */
    public Set<ApiKeys> apis() {
        return handlers.keySet();
    }

    /** What the connection does with a request. */
    public sealed interface Outcome {
        /**
         * Write {@code bytes} (a size-prefixed response frame), then close when {@code closeAfter}; take
         * no further request for {@code throttleMs} (KIP-219: Kafka mutes a throttled client's channel).
         */
        record Reply(ByteBuffer bytes, boolean closeAfter, int throttleMs) implements Outcome {
            public Reply(ByteBuffer bytes, boolean closeAfter) {
                this(bytes, closeAfter, 0);
            }
        }

        /** Nothing to send (acks=0 produce); the connection may still have to pause. */
        record NoReply(boolean closeAfter, int throttleMs) implements Outcome {
            public NoReply(boolean closeAfter) {
                this(closeAfter, 0);
            }
        }

        /** The request is malformed: log the reason and close this connection only. */
        record Close(String reason) implements Outcome {
        }
    }

    /** Answers one request frame. */
    public Outcome dispatch(long connectionId, SocketAddress client, ClientSession session, ByteBuffer frame) {
        return dispatchAll(connectionId, client, session, List.of(frame)).getFirst();
    }

    /**
     * Answers requests that arrived back to back on one connection, in order. Consecutive requests
     * of a {@link BatchingHandler} that agrees to it are handled together (pipelined produce requests
     * share one storage transaction); the answers stay one per request. A malformed request ends the
     * list with a {@link Outcome.Close}: the requests before it are answered, none after it.
     */
    public List<Outcome> dispatchAll(long connectionId, SocketAddress client, ClientSession session,
                                     List<ByteBuffer> frames) {
        List<Outcome> outcomes = new ArrayList<>(frames.size());
        List<Parsed.Request> group = new ArrayList<>();
        for (ByteBuffer frame : frames) {
            Parsed parsed = parse(connectionId, client, session, frame);
            if (parsed instanceof Parsed.Request request && !group.isEmpty() && joins(group.getLast(), request)) {
                group.add(request);
                continue;
            }
            handle(group, outcomes);
            group.clear();
            switch (parsed) {
                case Parsed.Request request -> group.add(request);
                case Parsed.Immediate immediate -> {
                    outcomes.add(immediate.outcome());
                    if (immediate.outcome() instanceof Outcome.Close) {
                        return outcomes;
                    }
                }
            }
        }
        handle(group, outcomes);
        return outcomes;
    }

    private static boolean joins(Parsed.Request previous, Parsed.Request next) {
        return previous.handler() == next.handler() && next.handler() instanceof BatchingHandler batching
                && batching.canHandleTogether(previous.request().data(), next.request().data());
    }

    private void handle(List<Parsed.Request> group, List<Outcome> outcomes) {
        if (group.isEmpty()) {
            return;
        }
        ParkedTime.take(); // from here on, what the handler spends parked is not handling time
        long start = System.nanoTime();
        if (group.size() == 1) {
            Parsed.Request r = group.getFirst();
            Response response;
            try {
                response = r.handler().handle(r.context(), r.request().data());
            } catch (RuntimeException e) {
                response = errorResponse(r, e);
            }
            long handling = System.nanoTime() - start - ParkedTime.take();
            outcomes.add(outcome(r, account(r, handling, response)));
            return;
        }
        BatchingHandler handler = (BatchingHandler) group.getFirst().handler();
        List<Response> responses;
        try {
            responses = handler.handleTogether(group.stream().map(Parsed.Request::context).toList(),
                    group.stream().map(r -> r.request().data()).toList());
        } catch (RuntimeException e) {
            responses = group.stream().map(r -> errorResponse(r, e)).toList();
        }
        // requests handled together share the time they took
        long handlingEach = (System.nanoTime() - start - ParkedTime.take()) / group.size();
        for (int i = 0; i < group.size(); i++) {
            outcomes.add(outcome(group.get(i), account(group.get(i), handlingEach, responses.get(i))));
        }
    }

    private Response account(Parsed.Request r, long handlingNanos, Response response) {
        return quotas.account(r.context(), r.request().data(), r.sizeInBytes(), r.parseNanos() + handlingNanos,
                response);
    }

    private static Response errorResponse(Parsed.Request r, RuntimeException e) {
        StorageUnavailableException outage = StorageErrors.unavailability(e);
        Throwable answered = e;
        if (outage != null) {
            // the storage adapter reports the outage once; a line per request would bury it
            answered = StorageErrors.exception(r.context().apiKey(), r.request().data(), outage);
            LOG.debug("{} failed while the storage is {}; answering with {}", r.context(), outage.reason().text(),
                    Errors.forException(answered));
        } else {
            LOG.error("{} failed; answering with {}", r.context(), Errors.forException(e), e);
        }
        AbstractResponse response = r.request().getErrorResponse(0, answered);
        // a produce with acks=0 has no answer: as Kafka, close the connection so that the producer notices
        return response == null ? Response.closeConnection() : Response.of(response.data());
    }

    private static Outcome outcome(Parsed.Request r, Response response) {
        if (response.body() == null) {
            return new Outcome.NoReply(response.closeAfter(), response.throttleMs());
        }
        RequestContext c = r.context();
        Outcome reply = reply(c.correlationId(), c.apiKey().responseHeaderVersion(c.apiVersion()), response.body(),
                c.apiVersion(), response.closeAfter());
        return reply instanceof Outcome.Reply written && response.throttleMs() > 0
                ? new Outcome.Reply(written.bytes(), written.closeAfter(), response.throttleMs()) : reply;
    }

    /** A frame after version negotiation and parsing: a request to handle, or an answer already known. */
    private sealed interface Parsed {
        /** @param sizeInBytes the frame's size, for byte-rate quotas; @param parseNanos the time parsing took */
        record Request(RequestContext context, AbstractRequest request, ApiHandler handler, int sizeInBytes,
                       long parseNanos) implements Parsed {
        }

        record Immediate(Outcome outcome) implements Parsed {
        }
    }

    private Parsed parse(long connectionId, SocketAddress client, ClientSession session, ByteBuffer frame) {
        long parseStart = System.nanoTime();
        int sizeInBytes = frame.remaining();
        if (frame.remaining() < MIN_HEADER_BYTES) {
            return close("request of " + frame.remaining() + " bytes is shorter than a request header");
        }
        int start = frame.position();
        short apiKeyId = frame.getShort(start);
        short version = frame.getShort(start + 2);
        int correlationId = frame.getInt(start + 4);
        if (!ApiKeys.hasId(apiKeyId)) {
            return close("unknown API key " + apiKeyId);
        }
        ApiKeys key = ApiKeys.forId(apiKeyId);
        if (key == ApiKeys.API_VERSIONS && !SupportedVersions.isSupported(key, version)) {
            // KIP-511: answer a too-new ApiVersions with a v0 body naming our range, so the client can downgrade
            return new Parsed.Immediate(reply(correlationId, (short) 0, unsupportedApiVersions(), (short) 0, false));
        }
        ApiHandler handler = handlers.get(key);
        if (handler == null) {
            return close("API " + key.name + " (key " + apiKeyId + ") is not supported by this broker");
        }
        if (!SupportedVersions.isSupported(key, version)) {
            return close("unsupported version " + version + " of " + key.name + " (supported "
                    + Math.max(SupportedVersions.advertisedMin(key), key.oldestVersion()) + " to "
                    + SupportedVersions.advertisedMax(key) + ")");
        }

        RequestHeader header;
        AbstractRequest request;
        try {
            header = RequestHeader.parse(frame);
            request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(frame)).request;
        } catch (RuntimeException e) {
            return close("malformed " + key.name + " v" + version + " request: " + e);
        }
        if (frame.hasRemaining()) {
            return close(frame.remaining() + " unexpected bytes after a " + key.name + " v" + version + " request");
        }
        RequestContext context = new RequestContext(connectionId, client, header.clientId(), key, version, correlationId,
                session);
        return new Parsed.Request(context, request, handler, sizeInBytes, System.nanoTime() - parseStart);
    }

    /** A request parsed outside the handler table: SASL's own requests while a client authenticates. */
    public record Decoded(RequestHeader header, AbstractRequest request) {
    }

    /**
     * Parses one frame as a request of a supported version.
     *
     * @throws IllegalArgumentException with the reason, when the frame is not such a request
     */
    public static Decoded decode(ByteBuffer frame) {
        ByteBuffer f = frame.duplicate();
        if (f.remaining() < MIN_HEADER_BYTES) {
            throw new IllegalArgumentException("request of " + f.remaining() + " bytes is shorter than a request header");
        }
        short apiKeyId = f.getShort(f.position());
        short version = f.getShort(f.position() + 2);
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new IllegalArgumentException("unknown API key " + apiKeyId);
        }
        ApiKeys key = ApiKeys.forId(apiKeyId);
        if (!SupportedVersions.isSupported(key, version)) {
            throw new IllegalArgumentException("unsupported version " + version + " of " + key.name);
        }
        RequestHeader header;
        AbstractRequest request;
        try {
            header = RequestHeader.parse(f);
            request = AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(f)).request;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed " + key.name + " v" + version + " request: " + e, e);
        }
        if (f.hasRemaining()) {
            throw new IllegalArgumentException(f.remaining() + " unexpected bytes after a " + key.name + " request");
        }
        return new Decoded(header, request);
    }

    /** The API key of a frame, or null when it is too short to have one. */
    public static ApiKeys peekApiKey(ByteBuffer frame) {
        if (frame.remaining() < 2) {
            return null;
        }
        short id = frame.getShort(frame.position());
        return ApiKeys.hasId(id) ? ApiKeys.forId(id) : null;
    }

    /** A size-prefixed response frame for a request parsed with {@link #decode}. */
    public static ByteBuffer serialize(RequestHeader header, ApiMessage body) {
        return serialize(header.correlationId(), header.apiKey().responseHeaderVersion(header.apiVersion()), body,
                header.apiVersion());
    }

    private static Parsed close(String reason) {
        return new Parsed.Immediate(new Outcome.Close(reason));
    }

    private ApiVersionsResponseData unsupportedApiVersions() {
        ApiVersionsResponseData data = new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        data.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(ApiKeys.API_VERSIONS.id)
                .setMinVersion(SupportedVersions.advertisedMin(ApiKeys.API_VERSIONS))
                .setMaxVersion(SupportedVersions.advertisedMax(ApiKeys.API_VERSIONS)));
        return data;
    }

    private static Outcome reply(int correlationId, short headerVersion, ApiMessage body, short version,
                                 boolean closeAfter) {
        try {
            return new Outcome.Reply(serialize(correlationId, headerVersion, body, version), closeAfter);
        } catch (UnsupportedVersionException e) {
            return new Outcome.Close("cannot encode the response: " + e.getMessage());
        }
    }

    /** A size-prefixed response frame. */
    public static ByteBuffer serialize(int correlationId, short headerVersion, ApiMessage body, short version) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.size(cache, headerVersion);
        int bodySize = body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize + bodySize);
        buffer.putInt(headerSize + bodySize);
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        header.write(out, cache, headerVersion);
        body.write(out, cache, version);
        buffer.flip();
        return buffer;
    }
}
